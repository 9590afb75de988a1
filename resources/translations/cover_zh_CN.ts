<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>CoverDialog</name>
    <message>
        <source>Cover details</source>
        <translation>封面信息</translation>
    </message>
    <message>
        <source>These details are printed on the cover of the submission (申报书) and in its Word copy. They are saved in the project.</source>
        <translation>这些信息印在申报书封面及其 Word 副本上，保存在项目中。</translation>
    </message>
    <message>
        <source>Use the date of sealing</source>
        <translation>使用封装日期</translation>
    </message>
</context>
</TS>
