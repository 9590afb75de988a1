<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
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
