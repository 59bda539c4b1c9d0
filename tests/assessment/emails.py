"""Real-looking Chinese emails, Simplified and Traditional, as a Chinese exporter writes them.

The numbers are made up but well formed: 110101199003190013 and 440305198805120023 are resident
ID numbers with valid check digits, 6222 0212 3456 7894 passes Luhn.
"""

ID_NUMBER = "110101199003190013"
ID_NUMBER_TW = "440305198805120023"  # a Shenzhen ID, in a Traditional-Chinese email from Hong Kong
CARD = "6222 0212 3456 7894"

QUOTATION_SUBJECT = "报价单 - 不锈钢球阀 Q-2025-031"
QUOTATION = """王经理您好，

感谢贵司询价。现报价如下：
不锈钢球阀 DN50，单价：USD 9.50/个，FOB Shanghai；
DN80 单价 12.80美金/个，出厂价另计。
报价有效期至2025年4月30日。

此致
敬礼
李明
销售部
手机：13812345678
"""

QUOTATION_TW_SUBJECT = "報價單 - 不鏽鋼球閥"
QUOTATION_TW = """陳先生您好：

隨附本季報價，單價為每件 9.5 美金，CIF 基隆，含稅。
出廠價另計，請查收。

順頌商祺
林小姐
"""

COST_NOTE_SUBJECT = "内部：阀门成本核算"
COST_NOTE = """张总：

这是DN50球阀的成本核算，仅供内部参考，请勿外传。
底价 7.80美元，毛利约18%，给代理的佣金3%，返点另算。
"""

COST_NOTE_TW = """黃總：

以下僅供內部參考，請勿外傳。
底價 7.8 美元，利潤率約15%，佣金與返點照舊。
"""

HR_SUBJECT = "新员工入职资料 - 张伟"
HR_EMAIL = f"""人事部同事好，

新员工张伟的入职资料如下：
身份证号：{ID_NUMBER}
手机号：+86 138 0013 8000
工资卡号：{CARD}

请尽快办理社保。

此致
王芳
人事部
手机：13912345678
"""

HR_EMAIL_TW = f"""各位同事好：

新進員工陳大文的資料如下：
身份證號：{ID_NUMBER_TW}
手機號：0086 139 1234 5678
薪資單請見附件。

謝謝
"""

# Looks like personal data, is not.
ORDER_NUMBER_LIKE_A_CARD = "订单号：6222021234567894，请安排下周发货。"
ID_WITH_WRONG_CHECK_DIGIT = "客户编号 110101199003190014 的货已到港。"
PHONE_IN_A_LONGER_RUN = "运单号 2013800138000123，请查收。"
