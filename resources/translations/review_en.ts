<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>ReturnDialog</name>
    <message numerus="yes">
        <source>%n note(s) on package {id} from {applicant} go out in a review notes file. Send the file to the applicant (e-mail, USB stick); they import it with “Import reviewer notes…”.</source>
        <translation>
            <numerusform>%n note on package {id} from {applicant} go out in a review notes file. Send the file to the applicant (e-mail, USB stick); they import it with “Import reviewer notes…”.</numerusform>
            <numerusform>%n notes on package {id} from {applicant} go out in a review notes file. Send the file to the applicant (e-mail, USB stick); they import it with “Import reviewer notes…”.</numerusform>
        </translation>
    </message>
</context>
</TS>
