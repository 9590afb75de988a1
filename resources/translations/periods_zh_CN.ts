<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>NextPeriod</name>
    <message>
        <source>Start &amp;next period from this one…</source>
        <translation>以本期为基础开始下一期(&amp;N)…</translation>
    </message>
    <message>
        <source>A new project for the next month, quarter or year: what stays the same is carried over, the figures of the period start empty</source>
        <translation>为下一个月、季度或年度新建项目：不变的内容沿用，本期数据留空待填</translation>
    </message>
    <message>
        <source>This program is not a recurring report</source>
        <translation>此程序不是周期性报告</translation>
    </message>
</context>
<context>
    <name>NextPeriodDialog</name>
    <message>
        <source>Save the next period&apos;s project as</source>
        <translation>下一期项目另存为</translation>
    </message>
    <message>
        <source>Dossier projects (*.dossier)</source>
        <translation>Dossier 项目 (*.dossier)</translation>
    </message>
    <message>
        <source>Answers carried over: {n}. Answers of this period, left empty: {m}.</source>
        <translation>沿用答案 {n} 项；本期专属答案 {m} 项在新项目中留空。</translation>
    </message>
    <message>
        <source>Evidence files copied into the new project: {n} ({size}). Files of this period, not carried over: {k}.</source>
        <translation>复制到新项目的证明材料 {n} 个（{size}）；本期专属、不沿用的文件 {k} 个。</translation>
    </message>
    <message>
        <source>The new project shows this period&apos;s figures beside each figure of the new one.</source>
        <translation>新项目会在每项数据旁显示本期的数值及变化。</translation>
    </message>
    <message>
        <source>Could not start the next period</source>
        <translation>无法开始下一期</translation>
    </message>
    <message>
        <source>Copying into the new project…</source>
        <translation>正在复制到新项目…</translation>
    </message>
    <message>
        <source>Next period</source>
        <translation>下一期</translation>
    </message>
    <message>
        <source>{file} is ready for {period}.</source>
        <translation>{file} 已创建，报告期为{period}。</translation>
    </message>
    <message>
        <source>Open it now?</source>
        <translation>现在打开吗？</translation>
    </message>
    <message>
        <source>Start the next period</source>
        <translation>开始下一期</translation>
    </message>
    <message>
        <source>“{program}” is reported again every period. A new project is made for the next period: the answers that stay the same and their evidence are copied from this one, the figures of the period start empty, and this project is not changed.</source>
        <translation>“{program}”每期都要重新填报。将为下一期新建一个项目：不变的答案及其证明材料从本项目复制过去，本期数据留空待填，本项目保持不变。</translation>
    </message>
    <message>
        <source>This project reports on: {period}</source>
        <translation>本项目的报告期：{period}</translation>
    </message>
    <message>
        <source>The period of this project is not recorded: give it below.</source>
        <translation>本项目未记录报告期，请在下方填写。</translation>
    </message>
    <message>
        <source>Period of this project:</source>
        <translation>本项目的报告期：</translation>
    </message>
    <message>
        <source>New period:</source>
        <translation>新的报告期：</translation>
    </message>
    <message>
        <source>Save as:</source>
        <translation>另存为：</translation>
    </message>
    <message>
        <source>e.g. 2026-12 (month), 2026-Q4 (quarter), 2026-H2 (half-year) or 2026 (year)</source>
        <translation>例如 2026-12（月）、2026-Q4（季度）、2026-H2（半年）或 2026（年度）</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>创建</translation>
    </message>
</context>
</TS>
