<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AssignDialog</name>
    <message>
        <source>Assign packages to an expert</source>
        <translation>向专家分配数据包</translation>
    </message>
    <message>
        <source>The expert&apos;s name, e.g. 张明</source>
        <translation>专家姓名，例如 张明</translation>
    </message>
    <message>
        <source>&amp;Expert:</source>
        <translation>专家(&amp;E)：</translation>
    </message>
    <message>
        <source>Packages (readable, intact and current ones are listed):</source>
        <translation>数据包（列出可读取、完好且为最新版本的数据包）：</translation>
    </message>
    <message>
        <source>Select &amp;all</source>
        <translation>全选(&amp;A)</translation>
    </message>
    <message>
        <source>Select &amp;none</source>
        <translation>全不选(&amp;N)</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Save the sheet as:</source>
        <translation>评分表保存为：</translation>
    </message>
    <message>
        <source>Include the packages&apos; &amp;files (evidence previews; a larger sheet)</source>
        <translation>包含数据包的文件(&amp;F)（可预览佐证材料；评分表较大）</translation>
    </message>
    <message>
        <source>The sheet holds these packages and the rubric — never another expert&apos;s scores. Give it to the expert on a USB stick or by e-mail; the expert opens it in Dossier.</source>
        <translation>评分表只包含这些数据包和评审量表，绝不包含其他专家的评分。请通过U盘或电子邮件交给专家，专家用 Dossier 打开。</translation>
    </message>
    <message>
        <source>Write the sheet</source>
        <translation>生成评分表</translation>
    </message>
    <message>
        <source>Save the expert sheet</source>
        <translation>保存专家评分表</translation>
    </message>
    <message>
        <source>Expert sheets (*.dsheet)</source>
        <translation>专家评分表 (*.dsheet)</translation>
    </message>
    <message>
        <source>Give the expert&apos;s name.</source>
        <translation>请填写专家姓名。</translation>
    </message>
    <message>
        <source>Choose at least one package.</source>
        <translation>请至少选择一个数据包。</translation>
    </message>
    <message>
        <source>Choose where to save the sheet.</source>
        <translation>请选择评分表的保存位置。</translation>
    </message>
</context>
<context>
    <name>CoiBox</name>
    <message>
        <source>Conflict of interest</source>
        <translation>利益冲突声明</translation>
    </message>
    <message>
        <source>&amp;No conflict of interest with this applicant</source>
        <translation>与该申报单位无利益冲突(&amp;N)</translation>
    </message>
    <message>
        <source>I have a conflict of interest and &amp;recuse myself</source>
        <translation>存在利益冲突，本人申请回避(&amp;R)</translation>
    </message>
    <message>
        <source>Reason for the recusal (required), e.g. “I advised this school on the application”</source>
        <translation>回避理由（必填），例如“本人曾指导该校撰写申报书”</translation>
    </message>
    <message>
        <source>Declare this first. A package you recuse yourself from cannot be scored, and your scores never count for it. Keys: N = no conflict, C = conflict.</source>
        <translation>请先声明。声明回避的数据包不能评分，您的评分也不会计入。快捷键：N = 无利益冲突，C = 存在利益冲突。</translation>
    </message>
</context>
<context>
    <name>CriterionBox</name>
    <message>
        <source>— no evidence file —</source>
        <translation>— 不指向佐证材料 —</translation>
    </message>
    <message>
        <source>Does not apply to this package (its indicators are not part of the application).</source>
        <translation>不适用于该数据包（其指标不在本次申报范围内）。</translation>
    </message>
    <message>
        <source>Choose a level (keys {keys}).</source>
        <translation>请选择等级（快捷键 {keys}）。</translation>
    </message>
    <message>
        <source>{label} — weight {points} points · indicators {ids}</source>
        <translation>{label} — 权重 {points} 分 · 指标 {ids}</translation>
    </message>
    <message>
        <source>Level {value}: {label}</source>
        <translation>等级 {value}：{label}</translation>
    </message>
    <message>
        <source>Comment on this criterion (optional)</source>
        <translation>对该项的评审意见（选填）</translation>
    </message>
    <message>
        <source>The evidence file your comment is about</source>
        <translation>意见所针对的佐证材料</translation>
    </message>
</context>
<context>
    <name>DecisionDialog</name>
    <message>
        <source>Decision: {applicant}</source>
        <translation>推荐结论：{applicant}</translation>
    </message>
    <message>
        <source>&amp;Recommended</source>
        <translation>推荐(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Not recommended</source>
        <translation>不推荐(&amp;N)</translation>
    </message>
    <message>
        <source>Reason (required; it is kept in the package&apos;s history and goes into 备注):</source>
        <translation>理由（必填；记入数据包的历史，并写入“备注”）：</translation>
    </message>
</context>
<context>
    <name>GateBox</name>
    <message>
        <source>The rules find this met. Confirm it, or overturn it with a reason.</source>
        <translation>规则检查结果为满足。请确认，或说明理由后改判。</translation>
    </message>
    <message>
        <source>The rules find this NOT met: {why}</source>
        <translation>规则检查结果为不满足：{why}</translation>
    </message>
    <message>
        <source>No rule checks this: judge it from the application.</source>
        <translation>没有规则检查此项：请根据申报材料判断。</translation>
    </message>
    <message>
        <source>Gate: {label}</source>
        <translation>门槛条件：{label}</translation>
    </message>
    <message>
        <source>Met</source>
        <translation>满足</translation>
    </message>
    <message>
        <source>Not met</source>
        <translation>不满足</translation>
    </message>
    <message>
        <source>Why it is not met (required)</source>
        <translation>不满足的理由（必填）</translation>
    </message>
</context>
<context>
    <name>NewRoundDialog</name>
    <message>
        <source>Start a new round</source>
        <translation>开始新一轮评审</translation>
    </message>
    <message>
        <source>A new round starts from the current rubric, which can then be changed until its first scores are merged. Scores of earlier rounds are kept but no longer count; sheets of earlier rounds are refused. Why a new round?</source>
        <translation>新一轮评审以当前评审量表为起点，在首批评分合并前仍可修改。以前各轮的评分会保留但不再计入；以前各轮的评分文件将被拒绝。为什么要开始新一轮？</translation>
    </message>
    <message>
        <source>e.g. “The experts read criterion 3 differently: weights revised”</source>
        <translation>例如“专家对第3项评分标准理解不一致：调整权重”</translation>
    </message>
    <message>
        <source>Start the round</source>
        <translation>开始新一轮</translation>
    </message>
</context>
<context>
    <name>OverallBox</name>
    <message>
        <source>Confidence</source>
        <translation>评审把握程度</translation>
    </message>
    <message>
        <source>&amp;Confidence:</source>
        <translation>把握程度(&amp;C)：</translation>
    </message>
    <message>
        <source>Overall comment (optional)</source>
        <translation>总体意见（选填）</translation>
    </message>
</context>
<context>
    <name>PanelActions</name>
    <message>
        <source>Panel rubric</source>
        <translation>评审量表</translation>
    </message>
    <message>
        <source>Assign packages to an expert</source>
        <translation>向专家分配数据包</translation>
    </message>
    <message>
        <source>Writing the expert sheet…</source>
        <translation>正在生成专家评分表…</translation>
    </message>
    <message>
        <source>The expert sheet for {expert} ({n} packages) was written to {path}.</source>
        <translation>{expert} 的专家评分表（{n} 个数据包）已保存到 {path}。</translation>
    </message>
    <message>
        <source>Give it to the expert; the expert opens it in Dossier, scores, and sends back the score sheet (.dscores) it writes. SHA-256 of the sheet: {sha}</source>
        <translation>请将其交给专家；专家用 Dossier 打开并评分，然后交回生成的评分文件（.dscores）。评分表的 SHA-256：{sha}</translation>
    </message>
    <message>
        <source>Merge score sheets</source>
        <translation>合并专家评分</translation>
    </message>
    <message>
        <source>Score sheets (*.dscores);;All files (*)</source>
        <translation>专家评分文件 (*.dscores);;所有文件 (*)</translation>
    </message>
    <message>
        <source>{file}: {expert}, {scored} scored, {recused} recused</source>
        <translation>{file}：{expert}，已评 {scored} 个，回避 {recused} 个</translation>
    </message>
    <message>
        <source>Merged: {ok} of {n}.</source>
        <translation>已合并：{ok} / {n}。</translation>
    </message>
    <message>
        <source>Start a new round</source>
        <translation>开始新一轮评审</translation>
    </message>
    <message>
        <source>Pa&amp;nel</source>
        <translation>专家评审(&amp;N)</translation>
    </message>
    <message>
        <source>Panel &amp;results</source>
        <translation>评审结果(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Rubric…</source>
        <translation>评审量表(&amp;R)…</translation>
    </message>
    <message>
        <source>&amp;Assign packages to an expert…</source>
        <translation>向专家分配数据包(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Merge score sheets…</source>
        <translation>合并专家评分(&amp;M)…</translation>
    </message>
    <message>
        <source>Start a &amp;new round…</source>
        <translation>开始新一轮评审(&amp;N)…</translation>
    </message>
    <message>
        <source>Export the 推荐名单汇总表 (XLSX)…</source>
        <translation>导出推荐名单汇总表（XLSX）…</translation>
    </message>
    <message>
        <source>Export the 公示 list (XLSX/CSV)…</source>
        <translation>导出公示名单（XLSX/CSV）…</translation>
    </message>
    <message>
        <source>Export the review &amp;report (PDF)…</source>
        <translation>导出专家评审报告（PDF）(&amp;R)…</translation>
    </message>
    <message>
        <source>Open an &amp;expert sheet… (to score)</source>
        <translation>打开专家评分表(&amp;E)…（评分）</translation>
    </message>
    <message>
        <source>P&amp;anel</source>
        <translation>专家评审(&amp;A)</translation>
    </message>
    <message>
        <source>Score as an e&amp;xpert: open an expert sheet…</source>
        <translation>以专家身份评分：打开专家评分表(&amp;X)…</translation>
    </message>
</context>
<context>
    <name>PanelHtml</name>
    <message>
        <source>(not answered)</source>
        <translation>（未填写）</translation>
    </message>
    <message>
        <source>Comments</source>
        <translation>专家意见</translation>
    </message>
    <message>
        <source>Criterion</source>
        <translation>评分标准</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>推荐意见</translation>
    </message>
    <message>
        <source>Decision history</source>
        <translation>结论记录</translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation>佐证材料</translation>
    </message>
    <message>
        <source>Gate</source>
        <translation>门槛条件</translation>
    </message>
    <message>
        <source>Gates</source>
        <translation>门槛条件</translation>
    </message>
    <message>
        <source>Mean</source>
        <translation>均值</translation>
    </message>
    <message>
        <source>Median</source>
        <translation>中位数</translation>
    </message>
    <message>
        <source>Met / not met</source>
        <translation>满足 / 不满足</translation>
    </message>
    <message>
        <source>No expert has scored this package yet.</source>
        <translation>尚无专家对该数据包评分。</translation>
    </message>
    <message>
        <source>Nothing was entered here.</source>
        <translation>此处未填写内容。</translation>
    </message>
    <message>
        <source>Overall score</source>
        <translation>总体评价分</translation>
    </message>
    <message>
        <source>Range</source>
        <translation>极差</translation>
    </message>
    <message>
        <source>Rank</source>
        <translation>排名</translation>
    </message>
    <message>
        <source>Reasons</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>Recused</source>
        <translation>回避</translation>
    </message>
    <message>
        <source>SD</source>
        <translation>标准差</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>得分</translation>
    </message>
    <message>
        <source>Scores per criterion</source>
        <translation>各项评分</translation>
    </message>
    <message>
        <source>This indicator is not in the definition.</source>
        <translation>程序定义中没有此指标。</translation>
    </message>
    <message>
        <source>Totals per expert</source>
        <translation>各专家总分</translation>
    </message>
    <message>
        <source>disagreement</source>
        <translation>分歧较大</translation>
    </message>
    <message>
        <source>overall</source>
        <translation>总体评价</translation>
    </message>
    <message>
        <source>… and {n} more rows</source>
        <translation>……另有 {n} 行</translation>
    </message>
</context>
<context>
    <name>PanelTab</name>
    <message>
        <source>Panel settings</source>
        <translation>评审设置</translation>
    </message>
    <message>
        <source>The panel has not started. Panel → Assign packages to an expert… writes an expert sheet; Panel → Rubric… shows the rubric (weights and levels can be changed until the first scores are merged).</source>
        <translation>专家评审尚未开始。“专家评审 → 向专家分配数据包…”生成专家评分表；“专家评审 → 评审量表…”查看评审量表（在首批评分合并前可修改权重和等级）。</translation>
    </message>
    <message>
        <source>frozen</source>
        <translation>已冻结</translation>
    </message>
    <message>
        <source>can still be changed</source>
        <translation>仍可修改</translation>
    </message>
    <message>
        <source>Round {round} · rubric version {version} ({frozen}) · sheets issued: {issued}, merged: {merged}, outdated: {outdated}</source>
        <translation>第 {round} 轮 · 评审量表第 {version} 版（{frozen}）· 已发评分表：{issued}，已合并：{merged}，已过期：{outdated}</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>未满足</translation>
    </message>
    <message>
        <source>met</source>
        <translation>满足</translation>
    </message>
    <message>
        <source> (+{n} recused)</source>
        <translation>（另有 {n} 人回避）</translation>
    </message>
    <message>
        <source>Score {score}, rank {rank}.</source>
        <translation>得分 {score}，排名 {rank}。</translation>
    </message>
    <message>
        <source>A gate is not met.</source>
        <translation>未满足门槛条件。</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>推荐意见</translation>
    </message>
    <message>
        <source>Export the 推荐名单汇总表</source>
        <translation>导出推荐名单汇总表</translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Export the 公示 list</source>
        <translation>导出公示名单</translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx);;CSV, UTF-8 (*.csv)</source>
        <translation>Excel 工作簿 (*.xlsx);;CSV，UTF-8 (*.csv)</translation>
    </message>
    <message>
        <source>Export the review report</source>
        <translation>导出专家评审报告</translation>
    </message>
    <message>
        <source>PDF documents (*.pdf)</source>
        <translation>PDF 文档 (*.pdf)</translation>
    </message>
    <message>
        <source>Written: {path}</source>
        <translation>已保存：{path}</translation>
    </message>
    <message>
        <source>&amp;Normalise per expert (z-scores)</source>
        <translation>按专家标准化（z 分数）(&amp;N)</translation>
    </message>
    <message>
        <source>Rescale each expert&apos;s totals to the panel&apos;s mean and spread, so lenient and harsh experts count alike</source>
        <translation>将每位专家的总分换算到全体专家的均值和离散程度，使打分宽松和严格的专家权重相同</translation>
    </message>
    <message>
        <source>&amp;Disagreement at a range of</source>
        <translation>分歧阈值：极差达到(&amp;D)</translation>
    </message>
    <message>
        <source> × the scale</source>
        <translation> × 评分范围</translation>
    </message>
    <message>
        <source>&amp;Gate fails when</source>
        <translation>门槛判定(&amp;G)</translation>
    </message>
    <message>
        <source>any expert finds it not met</source>
        <translation>任一专家判定不满足即不满足</translation>
    </message>
    <message>
        <source>a majority finds it not met</source>
        <translation>多数专家判定不满足才不满足</translation>
    </message>
    <message>
        <source>Rank</source>
        <translation>排名</translation>
    </message>
    <message>
        <source>#</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Applicant</source>
        <translation>申报单位</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>得分</translation>
    </message>
    <message>
        <source>SD</source>
        <translation>标准差</translation>
    </message>
    <message>
        <source>Range</source>
        <translation>极差</translation>
    </message>
    <message>
        <source>Experts</source>
        <translation>专家数</translation>
    </message>
    <message>
        <source>Gates</source>
        <translation>门槛条件</translation>
    </message>
    <message>
        <source>Split</source>
        <translation>分歧</translation>
    </message>
    <message>
        <source>Panel results</source>
        <translation>评审结果</translation>
    </message>
    <message>
        <source>&amp;Recommend…</source>
        <translation>推荐(&amp;R)…</translation>
    </message>
    <message>
        <source>Not recommend…</source>
        <translation>不推荐…</translation>
    </message>
    <message>
        <source>推荐名单汇总表 (&amp;XLSX)…</source>
        <translation>推荐名单汇总表（XLSX）(&amp;X)…</translation>
    </message>
    <message>
        <source>公示 list…</source>
        <translation>公示名单…</translation>
    </message>
    <message>
        <source>Review &amp;report (PDF)…</source>
        <translation>专家评审报告（PDF）(&amp;R)…</translation>
    </message>
    <message>
        <source>&amp;Anonymise experts</source>
        <translation>专家匿名(&amp;A)</translation>
    </message>
</context>
<context>
    <name>RubricDialog</name>
    <message>
        <source>Panel rubric</source>
        <translation>评审量表</translation>
    </message>
    <message>
        <source>Criterion</source>
        <translation>评分标准</translation>
    </message>
    <message>
        <source>Indicators</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>分值</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>标识</translation>
    </message>
    <message>
        <source>Criteria (weights are relative: the points are each weight&apos;s share of the total):</source>
        <translation>评分标准（权重为相对值：分值是各项权重占总分的份额）：</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>分值</translation>
    </message>
    <message>
        <source>Label (中文)</source>
        <translation>名称（中文）</translation>
    </message>
    <message>
        <source>Label (English)</source>
        <translation>名称（英文）</translation>
    </message>
    <message>
        <source>Descriptor (中文)</source>
        <translation>等级描述（中文）</translation>
    </message>
    <message>
        <source>Descriptor (English)</source>
        <translation>等级描述（英文）</translation>
    </message>
    <message>
        <source>Add a level</source>
        <translation>添加等级</translation>
    </message>
    <message>
        <source>Remove the level</source>
        <translation>删除等级</translation>
    </message>
    <message>
        <source>Overall score range:</source>
        <translation>总体评价分范围：</translation>
    </message>
    <message>
        <source>Why the rubric is changed (kept with the version)</source>
        <translation>修改评审量表的原因（与版本一同记录）</translation>
    </message>
    <message>
        <source>Note:</source>
        <translation>说明：</translation>
    </message>
    <message>
        <source>E&amp;xport JSON…</source>
        <translation>导出 JSON(&amp;X)…</translation>
    </message>
    <message>
        <source>&amp;Import JSON…</source>
        <translation>导入 JSON(&amp;I)…</translation>
    </message>
    <message>
        <source>Start a &amp;new round…</source>
        <translation>开始新一轮评审(&amp;N)…</translation>
    </message>
    <message>
        <source>Round {round}, rubric version {version}: frozen since the first scores were merged ({when}). To change it, start a new round.</source>
        <translation>第 {round} 轮，评审量表第 {version} 版：首批评分合并后已冻结（{when}）。如需修改，请开始新一轮评审。</translation>
    </message>
    <message>
        <source>Round 1 has not started: this is the program&apos;s rubric. Change weights and levels before the first sheet goes out; the first merged score freezes it.</source>
        <translation>第 1 轮尚未开始：这是该项目类别自带的评审量表。请在发出首份评分表前修改权重和等级；首批评分合并后即冻结。</translation>
    </message>
    <message>
        <source>Round {round}, rubric version {version}: can be changed until the first scores are merged. Sheets issued with an earlier version must then be issued again.</source>
        <translation>第 {round} 轮，评审量表第 {version} 版：在首批评分合并前可以修改。按旧版本发出的评分表须重新发出。</translation>
    </message>
    <message>
        <source>Levels, for every criterion:</source>
        <translation>等级（适用于所有评分标准）：</translation>
    </message>
    <message>
        <source>The criteria have levels of their own; the first criterion&apos;s are shown. Saving levels here gives every criterion these levels (or edit them with Export/Import JSON).</source>
        <translation>各评分标准有各自的等级；此处显示第一项的等级。在此保存等级将使所有评分标准采用这些等级（也可通过导出/导入 JSON 分别修改）。</translation>
    </message>
    <message>
        <source>{n} sheet(s) issued with the earlier rubric are now outdated: issue new sheets to those experts.</source>
        <translation>{n} 份按旧评审量表发出的评分表已过期：请重新向这些专家发出评分表。</translation>
    </message>
    <message>
        <source>Export the rubric</source>
        <translation>导出评审量表</translation>
    </message>
    <message>
        <source>Rubric (*.json)</source>
        <translation>评审量表 (*.json)</translation>
    </message>
    <message>
        <source>Import a rubric</source>
        <translation>导入评审量表</translation>
    </message>
    <message>
        <source>{name} is not a rubric document ({why})</source>
        <translation>{name} 不是评审量表文档（{why}）</translation>
    </message>
    <message>
        <source>Start a new round</source>
        <translation>开始新一轮评审</translation>
    </message>
</context>
<context>
    <name>SheetWindow</name>
    <message>
        <source>scored</source>
        <translation>已评分</translation>
    </message>
    <message>
        <source>recused</source>
        <translation>已回避</translation>
    </message>
    <message>
        <source>in progress</source>
        <translation>评分中</translation>
    </message>
    <message>
        <source>not started</source>
        <translation>未开始</translation>
    </message>
    <message>
        <source>Every package is scored or recused: submit the scores (Ctrl+Return).</source>
        <translation>所有数据包均已评分或回避：请提交评分（Ctrl+Return）。</translation>
    </message>
    <message>
        <source>Scoring</source>
        <translation>评分</translation>
    </message>
    <message>
        <source>Recuse yourself</source>
        <translation>申请回避</translation>
    </message>
    <message>
        <source>Recuse yourself from {name}?</source>
        <translation>回避 {name}？</translation>
    </message>
    <message>
        <source>What you scored for this package will be removed: a recused package is never scored.</source>
        <translation>您对该数据包已作的评分将被删除：回避的数据包不评分。</translation>
    </message>
    <message>
        <source>Recuse</source>
        <translation>回避</translation>
    </message>
    <message>
        <source>Open the package</source>
        <translation>打开数据包</translation>
    </message>
    <message>
        <source>This sheet holds the answers only, not the packages&apos; files: the answers are shown here.</source>
        <translation>此评分表只包含填报内容，不含数据包的文件：填报内容显示在此窗口中。</translation>
    </message>
    <message>
        <source>Opening the package…</source>
        <translation>正在打开数据包…</translation>
    </message>
    <message>
        <source>Package {id} from {applicant}, as submitted. A read-only copy: score it in the expert sheet&apos;s window.</source>
        <translation>{applicant} 提交的数据包 {id}，只读副本：请在专家评分表窗口中评分。</translation>
    </message>
    <message>
        <source>Submit the scores</source>
        <translation>提交评分</translation>
    </message>
    <message>
        <source>Your scores were written to {path}. Send this file to the panel&apos;s coordinator.</source>
        <translation>您的评分已保存到 {path}。请将此文件发送给评审组织者。</translation>
    </message>
    <message>
        <source>SHA-256 of the file: {sha}</source>
        <translation>文件的 SHA-256：{sha}</translation>
    </message>
    <message>
        <source>This sheet is open read-only (a CD or a read-only folder?): copy it to a writable place to score.</source>
        <translation>此评分表以只读方式打开（光盘或只读文件夹？）：请复制到可写的位置后再评分。</translation>
    </message>
    <message>
        <source>Submitted on {when}: these scores are final. “Submit” writes the same score sheet again if the first one was lost.</source>
        <translation>已于 {when} 提交：评分已定稿。如评分文件丢失，“提交”可重新生成同一份评分文件。</translation>
    </message>
    <message>
        <source>{expert} — expert sheet — {title} — Dossier</source>
        <translation>{expert} — 专家评分表 — {title} — Dossier</translation>
    </message>
    <message>
        <source>{title} · round {round} · expert: {expert}</source>
        <translation>{title} · 第 {round} 轮 · 专家：{expert}</translation>
    </message>
    <message>
        <source>&amp;Submit scores…</source>
        <translation>提交评分(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Open the whole package (read-only)…</source>
        <translation>打开完整数据包（只读）(&amp;O)…</translation>
    </message>
    <message>
        <source>Packages to score</source>
        <translation>待评数据包</translation>
    </message>
    <message>
        <source>The applicant&apos;s indicators</source>
        <translation>申报单位的指标</translation>
    </message>
    <message>
        <source>&amp;Next package</source>
        <translation>下一个数据包(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Previous package</source>
        <translation>上一个数据包(&amp;P)</translation>
    </message>
    <message>
        <source>Next &amp;unfinished package</source>
        <translation>下一个未完成的数据包(&amp;U)</translation>
    </message>
    <message>
        <source>Accept the &amp;gates the rules found met</source>
        <translation>确认规则判定满足的门槛条件(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>关闭(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Sheet</source>
        <translation>评分表(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Package</source>
        <translation>数据包(&amp;P)</translation>
    </message>
    <message>
        <source>Open an expert sheet</source>
        <translation>打开专家评分表</translation>
    </message>
    <message>
        <source>Expert sheets (*.dsheet);;All files (*)</source>
        <translation>专家评分表 (*.dsheet);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>SubmitDialog</name>
    <message>
        <source>Submit the scores</source>
        <translation>提交评分</translation>
    </message>
    <message>
        <source>The score sheet holds your scores only; the coordinator merges it into the review file.</source>
        <translation>评分文件只包含您的评分；评审组织者会将其合并到评审文件中。</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Save as:</source>
        <translation>保存为：</translation>
    </message>
    <message>
        <source>&amp;Sign with my institution identity</source>
        <translation>使用本单位身份签名(&amp;S)</translation>
    </message>
    <message>
        <source>No institution identity on this computer (Settings → Institution identity)</source>
        <translation>本机没有单位身份（设置 → 单位身份）</translation>
    </message>
    <message>
        <source>Submit what is &amp;done (some packages are not finished)</source>
        <translation>只提交已完成部分(&amp;D)（部分数据包尚未完成）</translation>
    </message>
    <message>
        <source>Submit</source>
        <translation>提交</translation>
    </message>
    <message>
        <source>Save the score sheet</source>
        <translation>保存评分文件</translation>
    </message>
    <message>
        <source>Score sheets (*.dscores)</source>
        <translation>专家评分文件 (*.dscores)</translation>
    </message>
</context>
</TS>
