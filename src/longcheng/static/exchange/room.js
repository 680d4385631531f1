// The bidding room: the server's clock is the only clock. The countdown uses the offset between
// the server time the page was given (and every state event) and this machine's clock.
(function () {
  "use strict";
  var root = document.getElementById("room");
  if (!root) { return; }
  var lot = root.dataset.lot, step = Number(root.dataset.step);
  var state = JSON.parse(root.dataset.state), offset = 0, lastSeq = 0;
  var myNo = state.my_no, room = null, ended = false;
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  function $(id) { return document.getElementById(id); }
  function yuan(fen) { return (fen / 100).toLocaleString("zh-CN", {minimumFractionDigits: 2}); }
  function sync(s) {
    state = s;
    offset = Date.parse(s.server_time) - Date.now();
    $("offset").textContent = String(Math.round(offset));
    $("server-time").textContent = new Date(Date.parse(s.server_time)).toLocaleString("zh-CN", {timeZone: "Asia/Shanghai"});
    $("phase").textContent = s.phase_label;
    $("price").textContent = s.price_fen === null ? "暂无报价" : yuan(s.price_fen);
    $("leader").textContent = s.leader_no || "—";
    if (myNo) { $("position").textContent = s.leader_no === myNo ? "领先" : "未领先"; }
  }
  function tick() {
    var left = Date.parse(state.deadline) - (Date.now() + offset);
    if (state.phase === "closed" || left <= 0) { $("countdown").textContent = "已结束"; return; }
    var s = Math.floor(left / 1000);
    $("countdown").textContent = Math.floor(s / 60) + " 分 " + (s % 60) + " 秒";
  }
  function addBid(b) {
    if (b.seq <= lastSeq) { return; }
    lastSeq = b.seq;
    var tr = document.createElement("tr");
    [b.seq, b.bidder_no, yuan(b.amount_fen), new Date(Date.parse(b.at)).toLocaleTimeString("zh-CN", {timeZone: "Asia/Shanghai"})]
      .forEach(function (v) { var td = document.createElement("td"); td.textContent = String(v); tr.appendChild(td); });
    $("history").insertBefore(tr, $("history").firstChild);
  }
  sync(state);
  setInterval(tick, 200);
  // The room's WebSocket carries the feed and the bids (one connection, the login cookie); it
  // resumes after the last bid shown. Without an open socket a bid goes over HTTP POST.
  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var ws = new WebSocket(scheme + location.host + "/api/v1/exchange/lots/" + lot + "/live?after=" + lastSeq);
    ws.onmessage = function (e) {
      var m = JSON.parse(e.data);
      if (m.type === "bids") { m.data.forEach(addBid); }
      else if (m.type === "state") { sync(m.data); }
      else if (m.type === "closed") { ended = true; state.phase = "closed"; tick(); ws.close(); }
      else if (m.type === "ack") { told("报价已接受，序号 " + m.bid.seq); }
      else if (m.type === "refused" || m.type === "error") { told(m.message); }
    };
    ws.onopen = function () { room = ws; };
    ws.onclose = function () { room = null; if (!ended) { setTimeout(connect, 2000); } };
  }
  function told(text) { var box = $("bid-message"); if (box) { box.textContent = text; } }
  connect();
  function send(amount) {
    var key = (window.crypto && crypto.randomUUID) ? crypto.randomUUID() : String(Date.now()) + Math.random();
    told("提交中…");
    if (room) {
      room.send(JSON.stringify({type: "bid", amount: amount, idempotency_key: key}));
      return;
    }
    fetch("/api/v1/exchange/lots/" + lot + "/bids", {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf},
      body: JSON.stringify({amount: amount, idempotency_key: key})
    }).then(function (r) { return r.json().then(function (body) { return [r.ok, body]; }); })
      .then(function (res) { told(res[0] ? "报价已接受，序号 " + res[1].seq : res[1].message); });
  }
  document.querySelectorAll(".bid-step").forEach(function (btn) {
    btn.addEventListener("click", function () {
      var base = state.price_fen === null ? state.start_fen - step : state.price_fen;
      send(((base + step * Number(btn.dataset.steps)) / 100).toFixed(2));
    });
  });
  var sendBtn = $("bid-send");
  if (sendBtn) { sendBtn.addEventListener("click", function () { send($("bid-amount").value); }); }
}());
