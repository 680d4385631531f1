"""挂牌项目: listings with their class fields, disclosure periods, registrations and the feed.

``service`` holds the lifecycle (draft → 审核 → 信息披露 → 竞价 → 成交/流拍, 中止, 终结, relisting);
``registrations`` the intended buyers and their qualification; ``feed`` the public change feed.
"""
