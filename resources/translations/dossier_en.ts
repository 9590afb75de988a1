<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
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
