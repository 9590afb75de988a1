<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>RubricDialog</name>
    <message numerus="yes">
        <source>%n sheet(s) issued with the earlier rubric are now outdated: issue new sheets to those experts.</source>
        <translation>
            <numerusform>%n sheet issued with the earlier rubric are now outdated: issue new sheets to those experts.</numerusform>
            <numerusform>%n sheets issued with the earlier rubric are now outdated: issue new sheets to those experts.</numerusform>
        </translation>
    </message>
</context>
</TS>
