<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>DeskWindow</name>
    <message>
        <source>New review file</source>
        <translation>新建评审文件</translation>
    </message>
    <message>
        <source>Open a review file</source>
        <translation>打开评审文件</translation>
    </message>
    <message>
        <source>Review files (*.dreview);;All files (*)</source>
        <translation>评审文件 (*.dreview);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Cannot open the review file</source>
        <translation>无法打开评审文件</translation>
    </message>
    <message>
        <source>program: {id}</source>
        <translation>项目类别：{id}</translation>
    </message>
    <message>
        <source>Add packages</source>
        <translation>添加数据包</translation>
    </message>
    <message>
        <source>Dossier packages (*.zip);;All files (*)</source>
        <translation>Dossier 数据包 (*.zip);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Add every package in a folder, USB stick or CD</source>
        <translation>添加文件夹、U盘或光盘中的全部数据包</translation>
    </message>
    <message>
        <source>Cancelled: the review file is as it was before.</source>
        <translation>已取消：评审文件保持原样。</translation>
    </message>
    <message>
        <source>Verifying packages…</source>
        <translation>正在验证数据包…</translation>
    </message>
    <message>
        <source>Verifying and copying {n}: {name}</source>
        <translation>正在验证并复制 {n}：{name}</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Packages: {n}</source>
        <translation>数据包：{n} 个</translation>
    </message>
    <message>
        <source>Packages taken in: {n}.</source>
        <translation>已添加数据包 {n} 个。</translation>
    </message>
    <message>
        <source>Resubmission deltas linked to their basis: {n}.</source>
        <translation>已与基础包关联的增量包：{n} 个。</translation>
    </message>
    <message>
        <source>Open the package</source>
        <translation>打开数据包</translation>
    </message>
    <message>
        <source>Opening the package…</source>
        <translation>正在打开数据包…</translation>
    </message>
    <message>
        <source>Package {id} from {applicant}, as submitted — verdict: {verdict}. This is a read-only copy; notes you write here are kept in the review file.</source>
        <translation>数据包 {id}（{applicant}）按提交原样显示 — 验证结论：{verdict}。这是只读副本；在此填写的意见保存在评审文件中。</translation>
    </message>
    <message>
        <source>Review state</source>
        <translation>评审状态</translation>
    </message>
    <message>
        <source>Return for revision</source>
        <translation>退回修改</translation>
    </message>
    <message>
        <source>Write the notes first: open the package (Enter) and add notes beside its indicators.</source>
        <translation>请先填写意见：打开数据包（回车键），在各指标旁添加意见。</translation>
    </message>
    <message>
        <source>The review notes were written to {path}. Send this file to the applicant.</source>
        <translation>评审意见已写入 {path}。请将此文件发送给申报单位。</translation>
    </message>
    <message>
        <source>SHA-256 of the file: {sha}</source>
        <translation>文件的 SHA-256：{sha}</translation>
    </message>
    <message>
        <source>Export the comparison table</source>
        <translation>导出对比表</translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Written: {path}</source>
        <translation>已写入：{path}</translation>
    </message>
    <message>
        <source>Review packages — Dossier</source>
        <translation>评审数据包 — Dossier</translation>
    </message>
    <message>
        <source>[read-only]</source>
        <translation>［只读］</translation>
    </message>
    <message>
        <source>Review packages</source>
        <translation>评审数据包</translation>
    </message>
    <message>
        <source>A review file collects the packages applicants send you — from USB sticks, CDs and e-mail. Each is verified, can be read as the applicant filled it in, compared with the others, and returned for revision with your notes. Everything stays on this computer.</source>
        <translation>评审文件汇集申报单位通过U盘、光盘和电子邮件送来的数据包。每个数据包都会经过验证，可按申报单位填写的样子阅读，与其他数据包对比，并附上您的意见退回修改。所有数据均保存在本机。</translation>
    </message>
    <message>
        <source>&amp;New review file…</source>
        <translation>新建评审文件(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Open review file…</source>
        <translation>打开评审文件(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Recent review files:</source>
        <translation>最近的评审文件(&amp;R)：</translation>
    </message>
    <message>
        <source>&amp;Packages</source>
        <translation>数据包(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Comparison</source>
        <translation>对比(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Open package (read-only)</source>
        <translation>打开数据包（只读）(&amp;O)</translation>
    </message>
    <message>
        <source>Set &amp;state…</source>
        <translation>设置状态(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Return for revision…</source>
        <translation>退回修改(&amp;R)…</translation>
    </message>
    <message>
        <source>&amp;Filter:</source>
        <translation>筛选(&amp;F)：</translation>
    </message>
    <message>
        <source>applicant, verdict, any value…</source>
        <translation>申报单位、验证结论或任意数值…</translation>
    </message>
    <message>
        <source>Current packages &amp;only</source>
        <translation>仅显示当前版本(&amp;O)</translation>
    </message>
    <message>
        <source>Export &amp;XLSX…</source>
        <translation>导出 XLSX(&amp;X)…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Packages</source>
        <translation>数据包</translation>
    </message>
    <message>
        <source>Comparison table</source>
        <translation>对比表</translation>
    </message>
    <message>
        <source>&amp;Add packages…</source>
        <translation>添加数据包(&amp;A)…</translation>
    </message>
    <message>
        <source>Add a &amp;folder / USB stick / CD…</source>
        <translation>添加文件夹 / U盘 / 光盘(&amp;F)…</translation>
    </message>
    <message>
        <source>&amp;Export comparison table (XLSX)…</source>
        <translation>导出对比表（XLSX）(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>关闭(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Trusted signers…</source>
        <translation>受信任的签章单位(&amp;T)…</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Package</source>
        <translation>数据包(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Review</source>
        <translation>评审(&amp;R)</translation>
    </message>
    <message>
        <source>Files refused: {n} (nothing of them was recorded).</source>
        <translation>被拒绝的文件：{n} 个（未记录其任何内容）。</translation>
    </message>
    <message>
        <source>No packages (.zip) were found there.</source>
        <translation>该位置没有找到数据包（.zip）。</translation>
    </message>
</context>
<context>
    <name>NewReviewDialog</name>
    <message>
        <source>New review file</source>
        <translation>新建评审文件</translation>
    </message>
    <message>
        <source>e.g. 2025年城市产教联合体推荐</source>
        <translation>例如：2025年城市产教联合体推荐</translation>
    </message>
    <message>
        <source>(any program)</source>
        <translation>（任意项目类别）</translation>
    </message>
    <message>
        <source>Your office, as the applicants should read it on review notes</source>
        <translation>您的单位或处室名称，将显示在评审意见上</translation>
    </message>
    <message>
        <source>review.dreview</source>
        <translation>评审.dreview</translation>
    </message>
    <message>
        <source>&amp;Title:</source>
        <translation>标题(&amp;T)：</translation>
    </message>
    <message>
        <source>&amp;Program:</source>
        <translation>项目类别(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Reviewer:</source>
        <translation>评审单位(&amp;R)：</translation>
    </message>
    <message>
        <source>&amp;Save as:</source>
        <translation>保存为(&amp;S)：</translation>
    </message>
    <message>
        <source>Packages are copied into the review file, so it can be handed to a colleague as one file.</source>
        <translation>数据包会复制到评审文件中，因此整个评审可以作为一个文件交给同事。</translation>
    </message>
    <message>
        <source>Save the review file as</source>
        <translation>评审文件保存为</translation>
    </message>
    <message>
        <source>Review files (*.dreview)</source>
        <translation>评审文件 (*.dreview)</translation>
    </message>
</context>
<context>
    <name>NotesPanel</name>
    <message>
        <source>Reviewer notes</source>
        <translation>评审意见</translation>
    </message>
    <message>
        <source>On the whole application</source>
        <translation>针对整份申报</translation>
    </message>
    <message>
        <source>File: {name}</source>
        <translation>文件：{name}</translation>
    </message>
    <message>
        <source>Reply: {reply}</source>
        <translation>答复：{reply}</translation>
    </message>
    <message>
        <source>(the indicator as a whole)</source>
        <translation>（针对整个指标）</translation>
    </message>
    <message>
        <source>open</source>
        <translation>待处理</translation>
    </message>
    <message>
        <source>resolved</source>
        <translation>已处理</translation>
    </message>
    <message>
        <source>not sent yet</source>
        <translation>尚未发出</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>已发出</translation>
    </message>
    <message>
        <source>&amp;Save note</source>
        <translation>保存意见(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Add note</source>
        <translation>添加意见(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Delete note</source>
        <translation>删除意见(&amp;D)</translation>
    </message>
    <message>
        <source>Reply and mark &amp;resolved</source>
        <translation>答复并标记为已处理(&amp;R)</translation>
    </message>
    <message>
        <source>Reply, keep &amp;open</source>
        <translation>答复，保持待处理(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Reviewer notes</source>
        <translation>评审意见(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;New note</source>
        <translation>新意见(&amp;N)</translation>
    </message>
    <message>
        <source>No notes on this indicator yet. Write one below, e.g. “补充…证明材料” or “数据与附件不一致”.</source>
        <translation>此指标还没有意见。请在下方填写，例如“补充…证明材料”或“数据与附件不一致”。</translation>
    </message>
    <message>
        <source>A note for the applicant on this indicator…</source>
        <translation>针对此指标给申报单位的意见…</translation>
    </message>
    <message>
        <source>The note is about</source>
        <translation>意见针对</translation>
    </message>
    <message>
        <source>The reviewer wrote no notes on this indicator.</source>
        <translation>评审方未对此指标提出意见。</translation>
    </message>
    <message>
        <source>Your reply: what you changed, or why nothing needed changing…</source>
        <translation>您的答复：做了哪些修改，或为何无需修改…</translation>
    </message>
    <message>
        <source>Open reviewer notes: {n}</source>
        <translation>待处理的评审意见：{n} 条</translation>
    </message>
    <message>
        <source>Reviewer notes imported: {n}. They are shown beside each indicator; reply to each and mark it resolved — your replies go with the next export.</source>
        <translation>已导入评审意见 {n} 条，显示在各指标旁；请逐条答复并标记为已处理——答复将随下次导出一并提交。</translation>
    </message>
    <message>
        <source>Import reviewer notes</source>
        <translation>导入评审意见</translation>
    </message>
    <message>
        <source>The project is open read-only: copy it to a writable place to import notes.</source>
        <translation>项目以只读方式打开：请复制到可写的位置后再导入意见。</translation>
    </message>
    <message>
        <source>Review notes (*.dossier-notes);;All files (*)</source>
        <translation>评审意见 (*.dossier-notes);;所有文件 (*)</translation>
    </message>
    <message>
        <source>These reviewer notes were imported before: nothing changed.</source>
        <translation>这些评审意见以前已导入过：未做任何修改。</translation>
    </message>
    <message>
        <source>Signed by {signer}, fingerprint {fingerprint}.</source>
        <translation>签名单位：{signer}，指纹 {fingerprint}。</translation>
    </message>
</context>
<context>
    <name>PackageDetail</name>
    <message>
        <source>The package is exactly as it was sealed, and signed by a trusted identity.</source>
        <translation>数据包与封装时完全一致，并由受信任的单位身份签章。</translation>
    </message>
    <message>
        <source>The contents are intact, but the package is not signed: anyone could have sealed it.</source>
        <translation>内容完好，但数据包未签章：任何人都可能封装了它。</translation>
    </message>
    <message>
        <source>The contents are intact and signed, but the signer is not in this review&apos;s trust list. Check the fingerprint with the institution, then trust it (Review → Trusted signers).</source>
        <translation>内容完好且已签章，但签章单位不在本次评审的信任列表中。请与该单位核对指纹后再将其设为受信任（评审 → 受信任的签章单位）。</translation>
    </message>
    <message>
        <source>The package was changed after it was sealed. Do not rely on it; ask for a new copy.</source>
        <translation>数据包在封装后被改动过。请勿采信，请要求重新提供。</translation>
    </message>
    <message>
        <source>The package cannot be read (a copy cut short?). Ask for a new copy.</source>
        <translation>数据包无法读取（可能复制不完整）。请要求重新提供。</translation>
    </message>
    <message>
        <source>The same package was taken in before.</source>
        <translation>相同的数据包此前已添加过。</translation>
    </message>
    <message>
        <source>A newer package from the same applicant has arrived; this one is kept for the record.</source>
        <translation>同一申报单位已提交了更新的数据包；此版本仅作存档保留。</translation>
    </message>
    <message>
        <source>This package is for another program than the review.</source>
        <translation>此数据包属于与本次评审不同的项目类别。</translation>
    </message>
    <message>
        <source>This is a resubmission delta: it holds only what changed since an earlier package, which is not in this review. Add that earlier package; the delta is then rebuilt, checked and linked to it.</source>
        <translation>这是重新提交的增量包：只包含自某个较早数据包以来的改动，而该较早的数据包不在本评审文件中。请添加该较早的数据包，届时增量包将被重建、核验并与其关联。</translation>
    </message>
    <message>
        <source>Also: {verdicts}</source>
        <translation>另外：{verdicts}</translation>
    </message>
    <message>
        <source>(DRAFT)</source>
        <translation>（草稿）</translation>
    </message>
    <message>
        <source>Review state</source>
        <translation>评审状态</translation>
    </message>
    <message>
        <source>Program</source>
        <translation>项目类别</translation>
    </message>
    <message>
        <source>Sealed at</source>
        <translation>封装时间</translation>
    </message>
    <message>
        <source>Signature</source>
        <translation>签章</translation>
    </message>
    <message>
        <source>Content digest</source>
        <translation>内容摘要</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Delta</source>
        <translation>增量包</translation>
    </message>
    <message>
        <source>Fingerprint</source>
        <translation>指纹</translation>
    </message>
    <message>
        <source>What verify found</source>
        <translation>验证发现的问题</translation>
    </message>
    <message>
        <source>Checks recomputed here</source>
        <translation>本机重新计算的检查</translation>
    </message>
    <message>
        <source>Completeness: {a}% claimed, {b}% recomputed. Blocking problems: {c} claimed, {d} recomputed.</source>
        <translation>完成度：声明 {a}%，重新计算 {b}%。阻止提交的问题：声明 {c} 个，重新计算 {d} 个。</translation>
    </message>
    <message>
        <source>The recomputed checks agree with what the package says.</source>
        <translation>重新计算的检查结果与数据包声明一致。</translation>
    </message>
    <message>
        <source>Changed since the previous submission</source>
        <translation>与上一次提交相比的变化</translation>
    </message>
    <message>
        <source>Previous: package {id}, sealed {when}.</source>
        <translation>上一版本：数据包 {id}，封装于 {when}。</translation>
    </message>
    <message>
        <source>Nothing changed.</source>
        <translation>没有变化。</translation>
    </message>
    <message>
        <source>answer {field}</source>
        <translation>答案：{field}</translation>
    </message>
    <message>
        <source>file added: {name}</source>
        <translation>新增文件：{name}</translation>
    </message>
    <message>
        <source>file removed: {name}</source>
        <translation>删除文件：{name}</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>意见</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>已发出</translation>
    </message>
    <message>
        <source>not sent yet</source>
        <translation>尚未发出</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史记录</translation>
    </message>
    <message>
        <source>received as a delta of package {pkg}; rebuilt against package #{id} and stored whole</source>
        <translation>以数据包 {pkg} 的增量包形式收到；已依据数据包 #{id} 重建，并完整保存</translation>
    </message>
    <message>
        <source>a delta of package {pkg}, which is not in this review: add it</source>
        <translation>数据包 {pkg} 的增量包，该基础包不在本评审文件中：请添加</translation>
    </message>
    <message>
        <source>a delta of package {pkg}; package #{id} has its id but is not its basis</source>
        <translation>数据包 {pkg} 的增量包；数据包 #{id} 编号相同，但不是其基础包</translation>
    </message>
    <message>
        <source>a delta of package {pkg}; the bytes of package #{id} differ from what the delta records</source>
        <translation>数据包 {pkg} 的增量包；数据包 #{id} 的内容与增量包的记录不一致</translation>
    </message>
    <message>
        <source>a delta of package {pkg}; package #{id} cannot be read</source>
        <translation>数据包 {pkg} 的增量包；无法读取数据包 #{id}</translation>
    </message>
    <message>
        <source>copied into the review file</source>
        <translation>已复制到评审文件</translation>
    </message>
    <message>
        <source>linked, not copied</source>
        <translation>仅链接，未复制</translation>
    </message>
    <message>
        <source>no copy kept</source>
        <translation>未保留副本</translation>
    </message>
    <message>
        <source>signed by {name} (trusted)</source>
        <translation>由 {name} 签章（受信任）</translation>
    </message>
    <message>
        <source>signed by {name} — not in the trust list</source>
        <translation>由 {name} 签章 — 不在信任列表中</translation>
    </message>
    <message>
        <source>a signature that does not verify</source>
        <translation>签章无法通过验证</translation>
    </message>
    <message>
        <source>signature not checked in this build</source>
        <translation>此版本未校验签章</translation>
    </message>
    <message>
        <source>not signed</source>
        <translation>未签章</translation>
    </message>
    <message>
        <source>the whole application</source>
        <translation>整份申报</translation>
    </message>
    <message>
        <source>taken in from {source}</source>
        <translation>从 {source} 添加</translation>
    </message>
    <message>
        <source>superseded by package {id}</source>
        <translation>已被数据包 {id} 取代</translation>
    </message>
    <message>
        <source>current again</source>
        <translation>重新成为当前版本</translation>
    </message>
    <message>
        <source>not rebuilt against package {id}: {reason}</source>
        <translation>未能依据数据包 {id} 重建：{reason}</translation>
    </message>
    <message>
        <source>rebuilt from the delta {file} against package {id}</source>
        <translation>已依据数据包 {id} 由增量包 {file} 重建</translation>
    </message>
    <message>
        <source>review notes written: {file}</source>
        <translation>已写出评审意见：{file}</translation>
    </message>
</context>
<context>
    <name>PackagesModel</name>
    <message>
        <source>ID</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Applicant</source>
        <translation>申报单位</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>验证结论</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Sealed at</source>
        <translation>封装时间</translation>
    </message>
    <message>
        <source>Signed by</source>
        <translation>签章单位</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
</context>
<context>
    <name>ReturnDialog</name>
    <message>
        <source>Return for revision</source>
        <translation>退回修改</translation>
    </message>
    <message numerus="yes">
        <source>%n note(s) on package {id} from {applicant} go out in a review notes file. Send the file to the applicant (e-mail, USB stick); they import it with “Import reviewer notes…”.</source>
        <translation>
            <numerusform>数据包 {id}（{applicant}）的 %n 条意见将写入评审意见文件。请将该文件发送给申报单位（电子邮件、U盘）；对方用“导入评审意见…”导入。</numerusform>
        </translation>
    </message>
    <message>
        <source>A covering message, e.g. 请于两周内补充材料后重新提交</source>
        <translation>附言，例如：请于两周内补充材料后重新提交</translation>
    </message>
    <message>
        <source>review-notes</source>
        <translation>评审意见</translation>
    </message>
    <message>
        <source>&amp;Sign with my institution identity</source>
        <translation>用本单位身份签名(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Message:</source>
        <translation>附言(&amp;M)：</translation>
    </message>
    <message>
        <source>&amp;Save as:</source>
        <translation>保存为(&amp;S)：</translation>
    </message>
    <message>
        <source>&amp;Write the notes file</source>
        <translation>写出意见文件(&amp;W)</translation>
    </message>
    <message>
        <source>Signs as {name}, fingerprint {fp}.</source>
        <translation>以 {name} 的身份签名，指纹 {fp}。</translation>
    </message>
    <message>
        <source>There is no institution identity on this computer: the notes file will not be signed (Settings → Institution identity).</source>
        <translation>本机没有单位身份：意见文件将不签名（设置 → 单位身份）。</translation>
    </message>
    <message>
        <source>Save the review notes as</source>
        <translation>评审意见保存为</translation>
    </message>
    <message>
        <source>Review notes (*.dossier-notes)</source>
        <translation>评审意见 (*.dossier-notes)</translation>
    </message>
</context>
<context>
    <name>ReviewDialogs</name>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
</context>
<context>
    <name>StateDialog</name>
    <message>
        <source>Review state of package {id}</source>
        <translation>数据包 {id} 的评审状态</translation>
    </message>
    <message>
        <source>Now:</source>
        <translation>当前：</translation>
    </message>
    <message>
        <source>Why (kept in the package&apos;s history)</source>
        <translation>理由（记录在数据包的历史中）</translation>
    </message>
    <message>
        <source>&amp;New state:</source>
        <translation>新状态(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>理由(&amp;R)：</translation>
    </message>
</context>
<context>
    <name>TrustDialog</name>
    <message>
        <source>Trusted signers</source>
        <translation>受信任的签章单位</translation>
    </message>
    <message>
        <source>Packages signed by these identities are “intact”; packages signed by anyone else are “signed by an untrusted identity”. Add the certificate the institution gave you (or a package&apos;s signer-cert.pem after checking its fingerprint with them by phone).</source>
        <translation>由这些身份签章的数据包为“完好”；由其他人签章的数据包为“签章人不在信任列表”。请添加对方单位提供的证书（或在电话核对指纹后，添加数据包中的 signer-cert.pem）。</translation>
    </message>
    <message>
        <source>Add &amp;certificate…</source>
        <translation>添加证书(&amp;C)…</translation>
    </message>
    <message>
        <source>Add &amp;fingerprint…</source>
        <translation>添加指纹(&amp;F)…</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>移除(&amp;R)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>A signer&apos;s certificate</source>
        <translation>签章单位的证书</translation>
    </message>
    <message>
        <source>Certificates (*.pem *.crt *.cer *.der);;All files (*)</source>
        <translation>证书 (*.pem *.crt *.cer *.der);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Trust a fingerprint</source>
        <translation>信任指纹</translation>
    </message>
    <message>
        <source>SHA-256 fingerprint (64 hexadecimal digits, spaces allowed):</source>
        <translation>SHA-256 指纹（64 位十六进制数字，可含空格）：</translation>
    </message>
    <message>
        <source>Whose is it?</source>
        <translation>这是哪个单位的指纹？</translation>
    </message>
</context>
</TS>
