<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!-- Qt's own widget strings that Qt's qtbase_zh_CN.qm lacks (found by tests/ui/test_i18n.py::
     test_qt_dialogs_are_chinese). Written by hand: these sources are Qt's, not ours, so lupdate
     does not make this file. Loaded after qtbase_zh_CN.qm in the Chinese UI. -->
<TS version="2.1" language="zh_CN">
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>查找范围(&amp;L)：</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>文件类型(&amp;T)：</translation>
    </message>
</context>
</TS>
