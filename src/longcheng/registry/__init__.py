"""The registry: 一企一档, one file per organisation, keyed by its 统一社会信用代码 (USCC).

An organisation (企业, 高校, 科研院所, 新型研发机构, 管委会, 交易机构 …) has a name and former
names (曾用名), a district and park from the Changzhou gazetteer (天宁, 钟楼, 新北, 武进, 金坛,
溧阳; 常州国家高新区, 武进国家高新区, 常州经开区 …), an industry (GB/T 4754 国民经济行业分类),
tags with validity periods (企业标签: 高新技术企业, 科技型中小企业, 专精特新, 制造业单项冠军, 瞪羚 …)
and dated facts, each with its source (营业收入, 研发投入, 从业人数, 纳税额 …).

Every other module meets here: projects name their investors by USCC, policies read tags and
facts, grants pay organisations, news facts link to them.
"""
