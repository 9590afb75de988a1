<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>HandoffController</name>
    <message>
        <source>Share part with a partner</source>
        <translation>分发部分给合作单位</translation>
    </message>
    <message>
        <source>This file is itself a part shared with you. Return it to the lead instead of sharing it further.</source>
        <translation>此文件本身就是分发给您的部分。请回传给牵头单位，不要再次分发。</translation>
    </message>
    <message>
        <source>Return to lead</source>
        <translation>回传给牵头单位</translation>
    </message>
    <message>
        <source>Only a part shared with you by a lead (a hand-off file) can be returned.</source>
        <translation>只有牵头单位分发给您的部分（分工文件）才能回传。</translation>
    </message>
    <message>
        <source>Merge returned part</source>
        <translation>合并回传部分</translation>
    </message>
    <message>
        <source>This file is a part shared with you: returns are merged by the lead.</source>
        <translation>此文件是分发给您的部分：回传文件由牵头单位合并。</translation>
    </message>
    <message>
        <source>The project is open read-only; copy it to a writable place first.</source>
        <translation>项目以只读方式打开；请先复制到可写的位置。</translation>
    </message>
    <message>
        <source>Dossier return files (*{suffix})</source>
        <translation>Dossier 回传文件 (*{suffix})</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <source>Checking the return file…</source>
        <translation>正在检查回传文件…</translation>
    </message>
    <message>
        <source>Merged the part returned by {partner}.</source>
        <translation>已合并 {partner} 回传的部分。</translation>
    </message>
</context>
<context>
    <name>HandoffsDialog</name>
    <message>
        <source>Hand-offs</source>
        <translation>分工记录</translation>
    </message>
</context>
<context>
    <name>HandoffsPanel</name>
    <message>
        <source>outstanding</source>
        <translation>待回传</translation>
    </message>
    <message>
        <source>merged</source>
        <translation>已合并</translation>
    </message>
    <message>
        <source>re-shared</source>
        <translation>已重新分发</translation>
    </message>
    <message>
        <source>Parts of this project given to partners. You can keep editing everything while they are out; a return is merged field by field.</source>
        <translation>本项目分发给合作单位的部分。分发期间您仍可编辑全部内容；回传文件将逐个字段合并。</translation>
    </message>
    <message>
        <source>No part of this project has been shared yet.</source>
        <translation>本项目尚未分发任何部分。</translation>
    </message>
    <message>
        <source>Partner</source>
        <translation>合作单位</translation>
    </message>
    <message>
        <source>Assigned</source>
        <translation>分工范围</translation>
    </message>
    <message>
        <source>Shared on</source>
        <translation>分发时间</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Returned (made on)</source>
        <translation>回传（生成时间）</translation>
    </message>
    <message>
        <source>Merged on</source>
        <translation>合并时间</translation>
    </message>
    <message>
        <source>Share part with a partner…</source>
        <translation>分发部分给合作单位…</translation>
    </message>
    <message>
        <source>Merge returned part…</source>
        <translation>合并回传部分…</translation>
    </message>
</context>
<context>
    <name>MergeDialog</name>
    <message>
        <source>{indicator} evidence “{name}”</source>
        <translation>{indicator} 证明材料“{name}”</translation>
    </message>
    <message>
        <source>{field}, row “{row}”, {column}</source>
        <translation>{field}，行“{row}”，{column}</translation>
    </message>
    <message>
        <source>deleted by you, changed by the partner</source>
        <translation>本方已删除，合作方作了修改</translation>
    </message>
    <message>
        <source>changed by you, deleted by the partner</source>
        <translation>本方作了修改，合作方已删除</translation>
    </message>
    <message>
        <source>{field}, row “{row}” ({what})</source>
        <translation>{field}，行“{row}”（{what}）</translation>
    </message>
    <message>
        <source>(deleted)</source>
        <translation>（已删除）</translation>
    </message>
    <message>
        <source>(no note)</source>
        <translation>（无备注）</translation>
    </message>
    <message>
        <source>Merge the part returned by {partner}</source>
        <translation>合并 {partner} 回传的部分</translation>
    </message>
    <message>
        <source>Return of {partner}, made {date}. {taken} fields to take from the partner, {tables} tables merged row by row, {kept} kept as you changed them, {conflicts} conflicts; evidence: {added} to add, {removed} to remove.</source>
        <translation>{partner} 的回传文件，生成于 {date}。采纳合作方的字段 {taken} 个，按行合并的表格 {tables} 个，保留本方修改 {kept} 个，冲突 {conflicts} 处；证明材料：新增 {added} 个，移除 {removed} 个。</translation>
    </message>
    <message>
        <source>The partner&apos;s note: {message}</source>
        <translation>合作方留言：{message}</translation>
    </message>
    <message>
        <source>Changed on both sides — choose per field which value to keep:</source>
        <translation>双方都作了修改——请逐项选择保留哪个值：</translation>
    </message>
    <message>
        <source>No conflicts: nothing was changed on both sides.</source>
        <translation>没有冲突：没有双方都修改的内容。</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Base (when shared)</source>
        <translation>基准（分发时）</translation>
    </message>
    <message>
        <source>Ours (this project)</source>
        <translation>本方（本项目）</translation>
    </message>
    <message>
        <source>Theirs (the partner)</source>
        <translation>合作方</translation>
    </message>
    <message>
        <source>Use</source>
        <translation>采用</translation>
    </message>
    <message>
        <source>Keep ours</source>
        <translation>保留本方</translation>
    </message>
    <message>
        <source>Take theirs</source>
        <translation>采用合作方</translation>
    </message>
    <message>
        <source>Take all of theirs</source>
        <translation>全部采用合作方</translation>
    </message>
    <message>
        <source>Keep all of ours</source>
        <translation>全部保留本方</translation>
    </message>
    <message>
        <source>The return also changes things that were not assigned to the partner. They are never merged:</source>
        <translation>回传文件还修改了未分配给合作方的内容，这些内容不会合并：</translation>
    </message>
    <message>
        <source>Merge the rest without them</source>
        <translation>不含这些内容，合并其余部分</translation>
    </message>
    <message>
        <source>I checked the signer with the partner: merge anyway</source>
        <translation>我已与合作单位核实签章人：仍然合并</translation>
    </message>
    <message>
        <source>Merge</source>
        <translation>合并</translation>
    </message>
</context>
<context>
    <name>PartnerBanner</name>
    <message>
        <source>Shared by {lead} on {date} for {partner}. You fill in: {assigned}. Everything else is the lead&apos;s (shown read-only or hidden). When you are done, use “Return to lead…” and send the return file back.</source>
        <translation>由{lead}于 {date} 分发给{partner}。您需填写：{assigned}。其余内容由牵头单位填写（只读显示或隐藏）。填写完成后，请使用“回传给牵头单位…”并把回传文件发回。</translation>
    </message>
    <message>
        <source>the lead</source>
        <translation>牵头单位</translation>
    </message>
    <message>
        <source>Return to lead…</source>
        <translation>回传给牵头单位…</translation>
    </message>
</context>
<context>
    <name>ReturnDialog</name>
    <message>
        <source>Save the return file</source>
        <translation>保存回传文件</translation>
    </message>
    <message>
        <source>Dossier return files (*.dossier-return)</source>
        <translation>Dossier 回传文件 (*.dossier-return)</translation>
    </message>
    <message>
        <source>Return to lead</source>
        <translation>回传给牵头单位</translation>
    </message>
    <message>
        <source>The return file is ready ({kb} KB):
{file}</source>
        <translation>回传文件已生成（{kb} KB）：
{file}</translation>
    </message>
    <message>
        <source>Send it to {lead} by e-mail, chat or USB stick. You can keep working; a later return sends everything again.</source>
        <translation>请通过电子邮件、聊天软件或U盘发送给{lead}。您可以继续填写；以后再次回传时会包含全部修改。</translation>
    </message>
    <message>
        <source>the lead</source>
        <translation>牵头单位</translation>
    </message>
    <message>
        <source>Since you received this part you changed {fields} fields, added {added} evidence files and removed {removed}. Only these changes go back to {lead}.</source>
        <translation>自收到此部分以来，您修改了 {fields} 个字段，新增 {added} 个证明材料，移除 {removed} 个。只有这些修改会回传给{lead}。</translation>
    </message>
    <message>
        <source>{n} of these changes are outside your assignment; the lead will not merge them: {list}</source>
        <translation>其中 {n} 处修改超出了您的分工范围，牵头单位不会合并：{list}</translation>
    </message>
    <message>
        <source>A note to the lead (optional):</source>
        <translation>给牵头单位的留言（可选）：</translation>
    </message>
    <message>
        <source>Sign with this computer&apos;s institution identity</source>
        <translation>使用本机的单位身份签章</translation>
    </message>
    <message>
        <source>Save as:</source>
        <translation>保存为：</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Write return file</source>
        <translation>生成回传文件</translation>
    </message>
</context>
<context>
    <name>ShareDialog</name>
    <message>
        <source>Save the hand-off file</source>
        <translation>保存分工文件</translation>
    </message>
    <message>
        <source>Dossier projects (*.dossier)</source>
        <translation>Dossier 项目 (*.dossier)</translation>
    </message>
    <message>
        <source>Some of these fields are already assigned to another partner whose part has not come back yet: {list}. Both may change them; you will decide when merging.</source>
        <translation>其中部分字段已分配给另一家尚未回传的合作单位：{list}。双方都可能修改，合并时由您决定。</translation>
    </message>
    <message>
        <source>Writing the hand-off file…</source>
        <translation>正在生成分工文件…</translation>
    </message>
    <message>
        <source>Share part with a partner</source>
        <translation>分发部分给合作单位</translation>
    </message>
    <message>
        <source>The hand-off file for {partner} is ready:
{file}</source>
        <translation>发给{partner}的分工文件已生成：
{file}</translation>
    </message>
    <message>
        <source>Send it to the partner (USB stick, e-mail, chat). They open it in Dossier, fill in their part and send back a return file; then use File › Merge returned part…. You can keep working on the whole project meanwhile.</source>
        <translation>请把它发送给合作单位（U盘、电子邮件、聊天软件）。对方用 Dossier 打开、填写其负责的部分并发回回传文件；然后使用“文件 › 合并回传部分…”。在此期间您可以继续编辑整个项目。</translation>
    </message>
    <message>
        <source>Tick what the partner institution fills in. They receive a Dossier file with only this part editable; what they send back is merged into this project.</source>
        <translation>勾选由合作单位填写的内容。对方收到的 Dossier 文件中只有这些内容可以编辑；发回的内容将合并到本项目。</translation>
    </message>
    <message>
        <source>Partner institution:</source>
        <translation>合作单位：</translation>
    </message>
    <message>
        <source>Part:</source>
        <translation>分工部分：</translation>
    </message>
    <message>
        <source>Assigned to the partner</source>
        <translation>分配给合作单位</translation>
    </message>
    <message>
        <source>Show read-only</source>
        <translation>只读显示</translation>
    </message>
    <message>
        <source>Include the evidence files already attached to the assigned indicators</source>
        <translation>包含已添加到这些指标的证明材料</translation>
    </message>
    <message>
        <source>Save as:</source>
        <translation>保存为：</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Write hand-off file</source>
        <translation>生成分工文件</translation>
    </message>
    <message>
        <source>(choose indicators below)</source>
        <translation>（在下方选择指标）</translation>
    </message>
</context>
<context>
    <name>Undo</name>
    <message>
        <source>Merge the part returned by {partner}</source>
        <translation>合并 {partner} 回传的部分</translation>
    </message>
    <message>
        <source>Merging the returned part…</source>
        <translation>正在合并回传部分…</translation>
    </message>
    <message>
        <source>Undoing the merge…</source>
        <translation>正在撤销合并…</translation>
    </message>
</context>
</TS>
