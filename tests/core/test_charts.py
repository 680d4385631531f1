"""The shared ECharts builders: plain data in, a JSON option out, safe inside HTML."""

from __future__ import annotations

import json

from longcheng.core.charts import bar_chart, pie_chart


class TestBarChart:
    def test_bars_carry_labels_values_and_the_unit(self) -> None:
        """A bar chart puts the labels on the category axis, the values in one series and names
        the value axis with the unit; without a unit the axis has no name."""
        spec = json.loads(bar_chart("各区机构数", ["武进区", "新北区"], [3, 1], unit="个", grid_left=70))
        assert spec["title"]["text"] == "各区机构数"
        assert spec["xAxis"]["data"] == ["武进区", "新北区"]
        assert spec["series"] == [{"type": "bar", "data": [3, 1], "itemStyle": {"color": "#1d4e89"}}]
        assert spec["yAxis"] == {"type": "value", "name": "个"}
        assert spec["grid"]["left"] == 70
        assert json.loads(bar_chart("t", [], []))["yAxis"] == {"type": "value"}

    def test_closing_tags_in_labels_cannot_end_a_script(self) -> None:
        """A label holding ``</script>`` is escaped, so the JSON can sit in a script element."""
        text = bar_chart("t", ["</script><b>"], [1])
        assert "</" not in text
        assert json.loads(text)["xAxis"]["data"] == ["</script><b>"]


class TestPieChart:
    def test_ring_pairs_names_with_values_in_the_given_colours(self) -> None:
        """A pie chart is a ring of name/value pairs; colours appear only when given."""
        spec = json.loads(pie_chart("状态灯", ["红灯", "绿灯"], [2, 5], colours=["#c0392b", "#2e8b57"]))
        assert spec["series"][0]["data"] == [{"name": "红灯", "value": 2}, {"name": "绿灯", "value": 5}]
        assert spec["series"][0]["radius"] == ["35%", "65%"]
        assert spec["color"] == ["#c0392b", "#2e8b57"]
        assert "color" not in json.loads(pie_chart("t", ["a"], [1], tooltip={"trigger": "item"}))
