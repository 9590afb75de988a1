<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>CellDelegate</name>
    <message numerus="yes">
        <source>Row {row}, “{col}”: only {limit} characters fit; %n character(s) at the end of the paste were not kept.</source>
        <translation>
            <numerusform>Row {row}, “{col}”: only {limit} characters fit; %n character at the end of the paste was not kept.</numerusform>
            <numerusform>Row {row}, “{col}”: only {limit} characters fit; %n characters at the end of the paste were not kept.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>EvidencePanel</name>
    <message numerus="yes">
        <source>%n file(s) were added, but their content is not what their name says:</source>
        <translation>
            <numerusform>%n file was added, but its content is not what its name says:</numerusform>
            <numerusform>%n files were added, but their content is not what their names say:</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message numerus="yes">
        <source>%n blocking problem(s) stop a final export: fix them first (click one to go to it), or export a draft.</source>
        <translation>
            <numerusform>%n blocking problem stops a final export: fix it first (click it to go to it), or export a draft.</numerusform>
            <numerusform>%n blocking problems stop a final export: fix them first (click one to go to it), or export a draft.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s).</source>
        <translation>
            <numerusform>%n warning.</numerusform>
            <numerusform>%n warnings.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LimitTexts</name>
    <message numerus="yes">
        <source>Only {limit} characters fit here: %n character(s) at the end of what you pasted were not kept.</source>
        <translation>
            <numerusform>Only {limit} characters fit here: %n character at the end of what you pasted was not kept.</numerusform>
            <numerusform>Only {limit} characters fit here: %n characters at the end of what you pasted were not kept.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <source>%n blocking</source>
        <translation>
            <numerusform>%n blocking</numerusform>
            <numerusform>%n blocking</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s)</source>
        <translation>
            <numerusform>%n warning</numerusform>
            <numerusform>%n warnings</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PreviewLoader</name>
    <message numerus="yes">
        <source>%n page(s)</source>
        <translation>
            <numerusform>%n page</numerusform>
            <numerusform>%n pages</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TableEditor</name>
    <message numerus="yes">
        <source>(and %n more)</source>
        <translation>
            <numerusform>(and %n more)</numerusform>
            <numerusform>(and %n more)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>VerdictText</name>
    <message numerus="yes">
        <source>%n file(s) in the package</source>
        <translation>
            <numerusform>%n file in the package</numerusform>
            <numerusform>%n files in the package</numerusform>
        </translation>
    </message>
</context>
</TS>
