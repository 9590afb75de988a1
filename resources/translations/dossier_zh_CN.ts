<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AppController</name>
    <message>
        <source>Save the new project as</source>
        <translation>将新项目保存为</translation>
    </message>
    <message>
        <source>Dossier projects (*.dossier)</source>
        <translation>Dossier 项目 (*.dossier)</translation>
    </message>
    <message>
        <source>Cannot create the project</source>
        <translation>无法创建项目</translation>
    </message>
    <message>
        <source>Open a project</source>
        <translation>打开项目</translation>
    </message>
    <message>
        <source>Dossier projects (*.dossier);;All files (*)</source>
        <translation>Dossier 项目 (*.dossier);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Install a program definition</source>
        <translation>安装申报项目定义</translation>
    </message>
    <message>
        <source>Program definitions (*.yaml *.yml *.xlsx);;All files (*)</source>
        <translation>申报项目定义 (*.yaml *.yml *.xlsx);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Cannot install the program definition</source>
        <translation>无法安装申报项目定义</translation>
    </message>
    <message>
        <source>Program installed</source>
        <translation>申报项目已安装</translation>
    </message>
    <message>
        <source>“{title}” (version {version}) is installed and can be chosen for new projects.</source>
        <translation>“{title}”（版本 {version}）已安装，新建项目时即可选择。</translation>
    </message>
    <message>
        <source>Seal &amp; export</source>
        <translation>封装并导出</translation>
    </message>
    <message>
        <source>Export is not available in this version yet.</source>
        <translation>此版本尚不支持导出。</translation>
    </message>
    <message>
        <source>Open package</source>
        <translation>打开申报包</translation>
    </message>
    <message>
        <source>Checking packages is not available in this version yet.</source>
        <translation>此版本尚不支持校验申报包。</translation>
    </message>
    <message>
        <source>Open a submitted package</source>
        <translation>打开已提交的申报包</translation>
    </message>
    <message>
        <source>Dossier packages (*.zip *.age);;All files (*)</source>
        <translation>Dossier 申报包 (*.zip *.age);;所有文件 (*)</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Unexpected error</source>
        <translation>意外错误</translation>
    </message>
</context>
<context>
    <name>BooleanEditor</name>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
</context>
<context>
    <name>CellDelegate</name>
    <message>
        <source>at most {n} characters</source>
        <translation>{n} 字以内</translation>
    </message>
    <message numerus="yes">
        <source>Row {row}, “{col}”: only {limit} characters fit; %n character(s) at the end of the paste were not kept.</source>
        <translation>
            <numerusform>第 {row} 行“{col}”：最多只能填 {limit} 字；粘贴内容末尾的 %n 个字未保留。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ChoiceEditor</name>
    <message>
        <source>— not answered —</source>
        <translation>— 未填写 —</translation>
    </message>
</context>
<context>
    <name>Countries</name>
    <message>
        <source>China</source>
        <translation>中国</translation>
    </message>
    <message>
        <source>Brunei Darussalam</source>
        <translation>文莱</translation>
    </message>
    <message>
        <source>Cambodia</source>
        <translation>柬埔寨</translation>
    </message>
    <message>
        <source>Indonesia</source>
        <translation>印度尼西亚</translation>
    </message>
    <message>
        <source>Lao PDR</source>
        <translation>老挝</translation>
    </message>
    <message>
        <source>Malaysia</source>
        <translation>马来西亚</translation>
    </message>
    <message>
        <source>Myanmar</source>
        <translation>缅甸</translation>
    </message>
    <message>
        <source>Philippines</source>
        <translation>菲律宾</translation>
    </message>
    <message>
        <source>Singapore</source>
        <translation>新加坡</translation>
    </message>
    <message>
        <source>Thailand</source>
        <translation>泰国</translation>
    </message>
    <message>
        <source>Timor-Leste</source>
        <translation>东帝汶</translation>
    </message>
    <message>
        <source>Viet Nam</source>
        <translation>越南</translation>
    </message>
</context>
<context>
    <name>CreateIdentityDialog</name>
    <message>
        <source>Creating the key and encrypting it…</source>
        <translation>正在生成并加密私钥…</translation>
    </message>
    <message>
        <source>Cannot create the institution identity</source>
        <translation>无法创建单位身份</translation>
    </message>
    <message>
        <source>Create the institution identity</source>
        <translation>创建单位身份</translation>
    </message>
    <message>
        <source>The identity is a key that signs your exports, and a certificate that says whose key it is. The names, country and contact are written into the certificate, which reviewers see.</source>
        <translation>单位身份由一把用于为导出文件签章的私钥，以及一份说明该私钥属于谁的证书组成。名称、国家/地区和联系方式会写入证书，审阅方可以看到。</translation>
    </message>
    <message>
        <source>Name in &amp;Chinese:</source>
        <translation>中文名称(&amp;C)：</translation>
    </message>
    <message>
        <source>Name in &amp;English:</source>
        <translation>英文名称(&amp;E)：</translation>
    </message>
    <message>
        <source>Co&amp;untry or region:</source>
        <translation>国家/地区(&amp;U)：</translation>
    </message>
    <message>
        <source>Con&amp;tact (phone or e-mail):</source>
        <translation>联系方式（电话或电子邮件）(&amp;T)：</translation>
    </message>
    <message>
        <source>e.g. 柳州职业技术学院</source>
        <translation>例如：柳州职业技术学院</translation>
    </message>
    <message>
        <source>e.g. Liuzhou Vocational College</source>
        <translation>例如：Liuzhou Vocational College</translation>
    </message>
    <message>
        <source>e.g. +86 772 1234567, international@example.edu.cn</source>
        <translation>例如：+86 772 1234567，international@example.edu.cn</translation>
    </message>
    <message>
        <source>Institution name in Chinese</source>
        <translation>单位中文名称</translation>
    </message>
    <message>
        <source>Institution name in English</source>
        <translation>单位英文名称</translation>
    </message>
    <message>
        <source>Country or region</source>
        <translation>国家/地区</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>联系方式</translation>
    </message>
    <message>
        <source>Where to keep the private key</source>
        <translation>私钥的保存位置</translation>
    </message>
    <message>
        <source>In the system &amp;keyring: {backend} (recommended)</source>
        <translation>保存在系统密钥库中：{backend}（推荐）(&amp;K)</translation>
    </message>
    <message>
        <source>The operating system protects the key; no passphrase is needed to sign.</source>
        <translation>由操作系统保护私钥；签章时无需输入口令。</translation>
    </message>
    <message>
        <source>In the system &amp;keyring (not available on this computer)</source>
        <translation>保存在系统密钥库中（本机不可用）(&amp;K)</translation>
    </message>
    <message>
        <source>Encrypted with a passphrase, in my user data &amp;folder</source>
        <translation>用口令加密，保存在我的用户数据文件夹中(&amp;F)</translation>
    </message>
    <message>
        <source>Keep the key in the system keyring</source>
        <translation>将私钥保存在系统密钥库中</translation>
    </message>
    <message>
        <source>Keep the key in a file encrypted with a passphrase</source>
        <translation>将私钥保存在用口令加密的文件中</translation>
    </message>
    <message>
        <source>You will need this passphrase for every signature. It cannot be recovered if forgotten: export a backup after creating the identity.</source>
        <translation>每次签章都需要输入此口令。口令一旦忘记便无法找回：创建身份后请导出备份。</translation>
    </message>
    <message>
        <source>Create &amp;identity</source>
        <translation>创建身份(&amp;I)</translation>
    </message>
</context>
<context>
    <name>DateEditor</name>
    <message>
        <source>YYYY-MM-DD</source>
        <translation>年-月-日（YYYY-MM-DD）</translation>
    </message>
    <message>
        <source>Pick a date (Alt+Down)</source>
        <translation>选择日期（Alt+↓）</translation>
    </message>
    <message>
        <source>Pick a date</source>
        <translation>选择日期</translation>
    </message>
    <message>
        <source>from {min} to {max}</source>
        <translation>{min} 至 {max}</translation>
    </message>
    <message>
        <source>not before {min}</source>
        <translation>不早于 {min}</translation>
    </message>
    <message>
        <source>not after {max}</source>
        <translation>不晚于 {max}</translation>
    </message>
</context>
<context>
    <name>Dialogs</name>
    <message>
        <source>This computer has no program to show the folder {path}.</source>
        <translation>本机没有可打开文件夹 {path} 的程序。</translation>
    </message>
    <message>
        <source>Open it with your file manager; the path can be selected and copied here.</source>
        <translation>请用文件管理器打开它；此处的路径可以选中并复制。</translation>
    </message>
    <message>
        <source>No program on this computer opens {name}.</source>
        <translation>本机没有可打开 {name} 的程序。</translation>
    </message>
    <message>
        <source>A copy was saved as {path}: open it with a suitable program, or install a viewer for this type of file. The preview in Dossier shows images, PDFs and text.</source>
        <translation>已将副本保存为 {path}：请用合适的程序打开，或安装可查看此类文件的程序。Dossier 的预览可以显示图片、PDF 和文本。</translation>
    </message>
    <message>
        <source>Cannot open</source>
        <translation>无法打开</translation>
    </message>
    <message>
        <source>The file may have been moved, renamed or deleted, or it is on a USB stick or network drive that is not connected. Connect the drive, or choose the file again with Open.</source>
        <translation>文件可能已被移动、改名或删除，或位于未连接的U盘或网络驱动器上。请连接该驱动器，或通过“打开”重新选择文件。</translation>
    </message>
    <message>
        <source>Choose the project file itself (it ends in .dossier), not the folder that holds it.</source>
        <translation>请选择项目文件本身（以 .dossier 结尾），而不是其所在的文件夹。</translation>
    </message>
    <message>
        <source>Check that you may read the file (ask whoever gave it to you), or copy it to your Documents folder and open the copy.</source>
        <translation>请确认您有权读取该文件（可询问文件提供者），或将其复制到“文档”文件夹后打开副本。</translation>
    </message>
    <message>
        <source>Dossier opens project files ending in .dossier made with Dossier. To look at a submitted package (.zip), use File › Open package. Nothing was changed.</source>
        <translation>Dossier 只能打开由 Dossier 创建、以 .dossier 结尾的项目文件。如需查看已提交的申报包（.zip），请使用“文件 › 打开申报包”。未做任何修改。</translation>
    </message>
    <message>
        <source>Open an earlier copy of the project (a backup, or the copy you sent by e-mail or saved on another drive). Dossier did not change this file.</source>
        <translation>请打开该项目较早的副本（备份，或您通过电子邮件发送、保存在其他驱动器上的副本）。Dossier 没有改动此文件。</translation>
    </message>
    <message>
        <source>Install the newest version of Dossier, then open the file again. Nothing was changed.</source>
        <translation>请安装最新版本的 Dossier，然后重新打开此文件。未做任何修改。</translation>
    </message>
    <message>
        <source>Copy the file to a writable folder (for example Documents) and open the copy: Dossier will upgrade the copy.</source>
        <translation>请将文件复制到可写的文件夹（例如“文档”）后打开副本：Dossier 会升级该副本。</translation>
    </message>
    <message>
        <source>Nothing was changed. Open an earlier copy, or report the problem with the file.</source>
        <translation>未做任何修改。请打开较早的副本，或报告此文件的问题。</translation>
    </message>
    <message>
        <source>The program definition inside this project cannot be read. Nothing was changed.</source>
        <translation>无法读取此项目内的申报项目定义。未做任何修改。</translation>
    </message>
    <message>
        <source>Choose another name, or open the existing project instead.</source>
        <translation>请换一个文件名，或直接打开已有的项目。</translation>
    </message>
    <message>
        <source>Choose a folder that exists.</source>
        <translation>请选择一个已存在的文件夹。</translation>
    </message>
    <message>
        <source>Choose a folder you can write to, for example Documents.</source>
        <translation>请选择一个可写的文件夹，例如“文档”。</translation>
    </message>
    <message>
        <source>Copy the project to a writable place (for example Documents) and open the copy.</source>
        <translation>请将项目复制到可写的位置（例如“文档”）后打开副本。</translation>
    </message>
    <message>
        <source>Free some space on the disk, then try again.</source>
        <translation>请释放一些磁盘空间后重试。</translation>
    </message>
    <message>
        <source>Close the other window or program using this project, then try again.</source>
        <translation>请关闭正在使用此项目的其他窗口或程序后重试。</translation>
    </message>
    <message>
        <source>Something unexpected went wrong: {error}</source>
        <translation>发生意外错误：{error}</translation>
    </message>
    <message>
        <source>Your work is saved up to the last change. Please report this problem with the details below.</source>
        <translation>您的工作已保存到最后一次修改。请连同下方详细信息报告此问题。</translation>
    </message>
    <message>
        <source>Cannot open the project</source>
        <translation>无法打开项目</translation>
    </message>
    <message>
        <source>About Dossier</source>
        <translation>关于 Dossier</translation>
    </message>
    <message>
        <source>Dossier {version}</source>
        <translation>Dossier {version}</translation>
    </message>
    <message>
        <source>Applications to China&apos;s industry–education programs, prepared offline: forms, evidence and a sealed submission package.</source>
        <translation>离线准备产教融合类项目申报：填写表单、整理证明材料、生成封装的申报包。</translation>
    </message>
</context>
<context>
    <name>EvidencePanel</name>
    <message>
        <source>Accepted types: {types}</source>
        <translation>接受的文件类型：{types}</translation>
    </message>
    <message>
        <source>Drop files here to add them to this slot</source>
        <translation>将文件拖放到此处即可添加到本栏目</translation>
    </message>
    <message>
        <source>any type</source>
        <translation>任意类型</translation>
    </message>
    <message>
        <source>Other files</source>
        <translation>其他文件</translation>
    </message>
    <message>
        <source>Shown as {shown}: this computer has no font for some of its characters</source>
        <translation>显示为 {shown}：本机没有可显示其中某些字符的字体</translation>
    </message>
    <message>
        <source>No evidence is asked for here; you may still add files</source>
        <translation>本指标未要求证明材料；仍可添加文件</translation>
    </message>
    <message>
        <source>Adding evidence files…</source>
        <translation>正在添加证明材料…</translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation>证明材料</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) were added, but their content is not what their name says:</source>
        <translation>
            <numerusform>已添加 %n 个文件，但其内容与文件名所示的类型不符：</numerusform>
        </translation>
    </message>
    <message>
        <source>Reviewers see the type found in the content. Remove the file and add the right one if it is a mistake.</source>
        <translation>评审方看到的是根据内容识别的类型。如果是误加的文件，请移除并添加正确的文件。</translation>
    </message>
    <message>
        <source>{n} files were added; these were not:</source>
        <translation>已添加 {n} 个文件；以下文件未添加：</translation>
    </message>
    <message>
        <source>These files were not added:</source>
        <translation>以下文件未添加：</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <source>Accepted files ({patterns})</source>
        <translation>可接受的文件 ({patterns})</translation>
    </message>
    <message>
        <source>Add evidence files</source>
        <translation>添加证明材料</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Note for {name} (reviewers see it in the evidence list):</source>
        <translation>{name} 的备注（评审人员会在材料清单中看到）：</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Preparing {name}…</source>
        <translation>正在准备 {name}…</translation>
    </message>
    <message>
        <source>Drag files onto a slot (or anywhere on the window), or use Add…</source>
        <translation>将文件拖到栏目上（或窗口任意位置），或点击“添加…”</translation>
    </message>
    <message>
        <source>Slot / file</source>
        <translation>栏目 / 文件</translation>
    </message>
    <message>
        <source>Files / size</source>
        <translation>数量 / 大小</translation>
    </message>
    <message>
        <source>Types / note</source>
        <translation>类型 / 备注</translation>
    </message>
    <message>
        <source>Evidence slots and files</source>
        <translation>证明材料栏目与文件</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <source>Add files to the selected slot</source>
        <translation>向所选栏目添加文件</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Note…</source>
        <translation>备注…</translation>
    </message>
    <message>
        <source>Edit the note of the selected file (F2)</source>
        <translation>编辑所选文件的备注（F2）</translation>
    </message>
    <message>
        <source>Open the selected file with the system viewer (double-click or Enter previews it here)</source>
        <translation>用系统查看器打开所选文件（双击或按回车可在此预览）</translation>
    </message>
</context>
<context>
    <name>EvidencePreview</name>
    <message>
        <source>Select a file to preview it</source>
        <translation>选择一个文件即可预览</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Output folder</source>
        <translation>输出文件夹</translation>
    </message>
    <message>
        <source>Seal &amp; export</source>
        <translation>封装并导出</translation>
    </message>
    <message>
        <source>Sealing and exporting…</source>
        <translation>正在封装并导出…</translation>
    </message>
    <message>
        <source>The application is {pct}% complete.</source>
        <translation>申报已完成 {pct}%。</translation>
    </message>
    <message numerus="yes">
        <source>%n blocking problem(s) stop a final export: fix them first (click one to go to it), or export a draft.</source>
        <translation>
            <numerusform>有 %n 个阻止提交的问题，无法正式导出：请先解决（点击问题即可跳转），或导出草稿。</numerusform>
        </translation>
    </message>
    <message>
        <source>The application is {pct}% complete and has no blocking problems.</source>
        <translation>申报已完成 {pct}%，没有阻止提交的问题。</translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s).</source>
        <translation>
            <numerusform>有 %n 个警告。</numerusform>
        </translation>
    </message>
    <message>
        <source>It can be sealed and exported.</source>
        <translation>可以封装并导出。</translation>
    </message>
    <message>
        <source>Choose the folder to write the PDF and the data package to.</source>
        <translation>请选择写入 PDF 和数据包的文件夹。</translation>
    </message>
    <message>
        <source>The folder {folder} does not exist yet.</source>
        <translation>文件夹 {folder} 还不存在。</translation>
    </message>
    <message>
        <source>Create it and write the export there?</source>
        <translation>是否创建该文件夹并导出到其中？</translation>
    </message>
    <message>
        <source>The folder already has an export of this application with these names:</source>
        <translation>该文件夹中已有本申报的同名导出文件：</translation>
    </message>
    <message>
        <source>Replace them with the new export? (Cancel keeps them: choose another folder.)</source>
        <translation>是否用新的导出替换它们？（点“取消”保留原文件，可另选文件夹。）</translation>
    </message>
    <message>
        <source>Writing the answers…</source>
        <translation>正在写入填报内容…</translation>
    </message>
    <message>
        <source>Making the submission PDF…</source>
        <translation>正在生成申报书 PDF…</translation>
    </message>
    <message>
        <source>Packing the evidence into the data package…</source>
        <translation>正在将证明材料打包进数据包…</translation>
    </message>
    <message>
        <source>Step {n} of {total}: {what}</source>
        <translation>第 {n} 步（共 {total} 步）：{what}</translation>
    </message>
    <message>
        <source>Sealed and exported:</source>
        <translation>已封装并导出：</translation>
    </message>
    <message>
        <source>Draft exported (every page is marked DRAFT):</source>
        <translation>已导出草稿（每页均标有“草稿”）：</translation>
    </message>
    <message>
        <source>Content digest: {digest}</source>
        <translation>内容摘要：{digest}</translation>
    </message>
    <message>
        <source>Warning: {text}</source>
        <translation>警告：{text}</translation>
    </message>
    <message>
        <source>Cancelled: nothing was written.</source>
        <translation>已取消：未写入任何文件。</translation>
    </message>
    <message>
        <source>Signed with the institution identity {name}. Its fingerprint, which reviewers compare with the one you gave them:</source>
        <translation>已用单位身份“{name}”签章。其指纹如下，审阅方会将它与您告知的指纹核对：</translation>
    </message>
    <message>
        <source>There is no institution identity on this computer, so the export cannot be signed.</source>
        <translation>本机还没有单位身份，因此无法为导出文件签章。</translation>
    </message>
    <message>
        <source>Set up the institution identity…</source>
        <translation>设置单位身份…</translation>
    </message>
    <message>
        <source>Signs as {name}, fingerprint {fingerprint}.</source>
        <translation>将以“{name}”的身份签章，指纹 {fingerprint}。</translation>
    </message>
    <message>
        <source>You will be asked for the passphrase of the key.</source>
        <translation>届时需要输入私钥的口令。</translation>
    </message>
    <message>
        <source>Institution identity…</source>
        <translation>单位身份…</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Export a &amp;draft anyway (every PDF page is marked 草稿 / DRAFT; not for submission)</source>
        <translation>仍然导出草稿(&amp;D)（PDF 每页标有“草稿 / DRAFT”，不可用于正式提交）</translation>
    </message>
    <message>
        <source>Output &amp;folder:</source>
        <translation>输出文件夹(&amp;F)：</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <source>&amp;Language of the PDF:</source>
        <translation>PDF 语言(&amp;L)：</translation>
    </message>
    <message>
        <source>Sign with institution &amp;identity (the PDF and the data package)</source>
        <translation>用单位身份签章（PDF 和数据包）(&amp;I)</translation>
    </message>
    <message>
        <source>Sign with institution identity</source>
        <translation>用单位身份签章</translation>
    </message>
    <message>
        <source>About signing</source>
        <translation>关于签章</translation>
    </message>
    <message>
        <source>&amp;Seal &amp;&amp; export</source>
        <translation>封装并导出(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Open folder</source>
        <translation>打开文件夹(&amp;O)</translation>
    </message>
    <message>
        <source>The submission PDF and the data package (.zip) will be written to the output folder; their names and the content digest will be shown here.</source>
        <translation>申报 PDF 和数据包（.zip）将写入输出文件夹；文件名和内容摘要将显示在这里。</translation>
    </message>
</context>
<context>
    <name>FieldRow</name>
    <message>
        <source>(required)</source>
        <translation>（必填）</translation>
    </message>
</context>
<context>
    <name>FingerprintView</name>
    <message>
        <source>SHA-256 fingerprint</source>
        <translation>SHA-256 指纹</translation>
    </message>
    <message>
        <source>Co&amp;py fingerprint</source>
        <translation>复制指纹(&amp;P)</translation>
    </message>
    <message>
        <source>Copy the fingerprint</source>
        <translation>复制指纹</translation>
    </message>
    <message>
        <source>Copy the fingerprint as one line, to paste it into an e-mail or a letter</source>
        <translation>将指纹复制为一行，便于粘贴到电子邮件或公函中</translation>
    </message>
</context>
<context>
    <name>HelpDialog</name>
    <message>
        <source>Help</source>
        <translation>帮助</translation>
    </message>
    <message>
        <source>Help text</source>
        <translation>帮助内容</translation>
    </message>
    <message>
        <source>How Dossier works</source>
        <translation>Dossier 如何使用</translation>
    </message>
    <message>
        <source>Each application is one project file (.dossier). Everything you type and every file you attach is saved in it at once: there is no Save button. Ctrl+S only confirms.</source>
        <translation>每份申报是一个项目文件（.dossier）。您输入的每项内容、添加的每个文件都会立即保存到其中：无需“保存”按钮，Ctrl+S 仅作确认。</translation>
    </message>
    <message>
        <source>Filling in</source>
        <translation>填写</translation>
    </message>
    <message>
        <source>On the left are the sections and indicators of the program, each with its status: a green tick when complete, an orange mark when something is missing or wrong, an empty circle when not started. The bar above shows how complete the application is.</source>
        <translation>左侧是申报项目的章节与指标，并显示各自状态：绿色对勾表示已完成，橙色标记表示有缺漏或错误，空心圆表示尚未开始。上方的进度条显示申报的完成程度。</translation>
    </message>
    <message>
        <source>In the middle is the form of the selected indicator. Fields marked * are required. Some fields appear only when an earlier answer makes them apply.</source>
        <translation>中间是所选指标的表单。带 * 的为必填项。部分栏目只有在前面的回答使其适用时才会出现。</translation>
    </message>
    <message>
        <source>On the right are the official text of the indicator (the Chinese text is official), its evidence files and its problems. Click a problem to go to the field.</source>
        <translation>右侧是指标的官方原文（以中文为准）、证明材料及存在的问题。点击某个问题即可跳转到相应栏目。</translation>
    </message>
    <message>
        <source>Evidence files</source>
        <translation>证明材料</translation>
    </message>
    <message>
        <source>Drag files onto a slot, or anywhere on the window, or use Add…. Large files are copied into the project in the background; Cancel leaves the project as it was.</source>
        <translation>将文件拖到栏目上或窗口任意位置，或点击“添加…”。大文件会在后台复制到项目中；点击“取消”则项目保持原样。</translation>
    </message>
    <message>
        <source>Double-click a file (or press Enter) to preview it in Dossier: pictures, PDFs and text files. Open shows it in the program your computer uses for that type.</source>
        <translation>双击文件（或按回车）即可在 Dossier 中预览：图片、PDF 和文本文件。“打开”则用本机为此类文件设定的程序显示。</translation>
    </message>
    <message>
        <source>Keyboard</source>
        <translation>键盘操作</translation>
    </message>
    <message>
        <source>Tab and Shift+Tab move between fields. Ctrl+Z undoes, Ctrl+Shift+Z redoes, Ctrl+N creates a project, Ctrl+O opens one, Ctrl+Page Down / Ctrl+Page Up go to the next / previous indicator, F6 moves between the panels, F1 shows this help.</source>
        <translation>Tab 和 Shift+Tab 在字段之间移动。Ctrl+Z 撤销，Ctrl+Shift+Z 重做，Ctrl+N 新建项目，Ctrl+O 打开项目，Ctrl+Page Down / Ctrl+Page Up 转到下一个 / 上一个指标，F6 在各面板之间切换，F1 显示本帮助。</translation>
    </message>
    <message>
        <source>In a table, as in a spreadsheet: typing replaces the cell, F2 edits it, Enter and Tab confirm and move down / right (Shift: up / left), Ctrl+Tab leaves the table, Ctrl+Enter adds a row, Ctrl+V pastes rows copied from Excel, WPS or LibreOffice.</source>
        <translation>表格的操作与电子表格相同：直接输入即替换单元格内容，F2 编辑单元格，回车和 Tab 确认并向下 / 向右移动（按住 Shift：向上 / 向左），Ctrl+Tab 离开表格，Ctrl+Enter 添加一行，Ctrl+V 粘贴从 Excel、WPS 或 LibreOffice 复制的行。</translation>
    </message>
    <message>
        <source>Dates: 2026-06-30, 2026/6/30, 2026年6月30日, 30/06/2026 or 30 June 2026. A date such as 03/04/2026, which could be read either way, is asked for again.</source>
        <translation>日期可写作：2026-06-30、2026/6/30、2026年6月30日、30/06/2026 或 30 June 2026。像 03/04/2026 这样可有两种理解的日期，会请您重新填写。</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>View › Language switches between Chinese and English at once. Program texts follow; where a program has no English text the Chinese is shown.</source>
        <translation>“视图 › 语言”可立即在中文和英文之间切换。申报项目的文字随之切换；没有英文文本之处显示中文。</translation>
    </message>
</context>
<context>
    <name>IdentityDialog</name>
    <message>
        <source>Waiting for the system keyring… If it asks for permission or for a password, answer it.</source>
        <translation>正在等待系统密钥库…如果它请求授权或要求输入密码，请予以回应。</translation>
    </message>
    <message>
        <source>Passphrase of the institution identity</source>
        <translation>单位身份的口令</translation>
    </message>
    <message>
        <source>The private key of “{name}” is kept encrypted with a passphrase on this computer. Enter the passphrase to {purpose}.</source>
        <translation>“{name}”的私钥在本机上以口令加密保存。请输入口令以{purpose}。</translation>
    </message>
    <message>
        <source>Unlocking the key…</source>
        <translation>正在解锁私钥…</translation>
    </message>
    <message>
        <source>Sign with institution identity</source>
        <translation>用单位身份签章</translation>
    </message>
    <message>
        <source>sign the export</source>
        <translation>为导出文件签章</translation>
    </message>
    <message>
        <source>{start} to {end}</source>
        <translation>{start} 至 {end}</translation>
    </message>
    <message>
        <source>This certificate has expired: exports can no longer be signed with it. Delete it and create a new identity.</source>
        <translation>此证书已过期，不能再用于为导出文件签章。请删除它并新建单位身份。</translation>
    </message>
    <message>
        <source>The system keyring is not available now, so this identity cannot sign until it is (for example after you log in to the desktop session).</source>
        <translation>系统密钥库目前不可用，在其恢复可用之前（例如登录桌面会话之后）此身份无法签章。</translation>
    </message>
    <message>
        <source>Institution identity</source>
        <translation>单位身份</translation>
    </message>
    <message>
        <source>The institution identity signs the PDF and the data package you export, so reviewers can check offline that they come from your institution and were not changed. Reviewers trust it by its fingerprint, which you tell them through a second channel (read it aloud over the phone, or put it in an official letter).</source>
        <translation>单位身份为您导出的 PDF 和数据包签章，审阅方可以离线核实它们确实来自贵单位且未被改动。审阅方依据指纹信任该身份；请通过另一渠道告知审阅方指纹（电话中念给对方听，或写在正式公函中）。</translation>
    </message>
    <message>
        <source>This computer&apos;s institution identity</source>
        <translation>本机的单位身份</translation>
    </message>
    <message>
        <source>Name in Chinese:</source>
        <translation>中文名称：</translation>
    </message>
    <message>
        <source>Name in English:</source>
        <translation>英文名称：</translation>
    </message>
    <message>
        <source>Country or region:</source>
        <translation>国家/地区：</translation>
    </message>
    <message>
        <source>Contact:</source>
        <translation>联系方式：</translation>
    </message>
    <message>
        <source>Certificate valid:</source>
        <translation>证书有效期：</translation>
    </message>
    <message>
        <source>Created:</source>
        <translation>创建时间：</translation>
    </message>
    <message>
        <source>SHA-256 fi&amp;ngerprint (reviewers compare it with the one in your signed files):</source>
        <translation>SHA-256 指纹（审阅方用它与签章文件中的指纹核对）(&amp;N)：</translation>
    </message>
    <message>
        <source>There is no institution identity on this computer yet. Create one, or import the backup (.p12) made on another computer. Exports can be signed once there is an identity.</source>
        <translation>本机还没有单位身份。请新建一个，或导入在其他电脑上制作的备份（.p12）。有了单位身份后即可为导出文件签章。</translation>
    </message>
    <message>
        <source>Where the private key is kept</source>
        <translation>私钥的保存位置</translation>
    </message>
    <message>
        <source>&amp;Create…</source>
        <translation>新建(&amp;C)…</translation>
    </message>
    <message>
        <source>Create a new institution identity on this computer</source>
        <translation>在本机新建单位身份</translation>
    </message>
    <message>
        <source>&amp;Import backup…</source>
        <translation>导入备份(&amp;I)…</translation>
    </message>
    <message>
        <source>Install the identity from a backup file (.p12)</source>
        <translation>从备份文件（.p12）安装单位身份</translation>
    </message>
    <message>
        <source>Export &amp;backup…</source>
        <translation>导出备份(&amp;B)…</translation>
    </message>
    <message>
        <source>Save the key and certificate as a passphrase-protected backup (.p12)</source>
        <translation>将私钥和证书保存为受口令保护的备份（.p12）</translation>
    </message>
    <message>
        <source>Export certi&amp;ficate…</source>
        <translation>导出证书(&amp;F)…</translation>
    </message>
    <message>
        <source>Encryption &amp;key card…</source>
        <translation>加密公钥卡(&amp;K)…</translation>
    </message>
    <message>
        <source>A printable card with your encryption key (age), its QR code and fingerprint, for applicants to encrypt their packages to you</source>
        <translation>可打印的公钥卡：您的加密公钥（age）、二维码和指纹，供申报单位用来为您加密数据包</translation>
    </message>
    <message>
        <source>Save the public certificate (no secret) to send to reviewers</source>
        <translation>保存公开证书（不含机密），发送给审阅方</translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation>删除(&amp;D)…</translation>
    </message>
    <message>
        <source>Remove the identity and its key from this computer</source>
        <translation>从本机删除单位身份及其私钥</translation>
    </message>
    <message>
        <source>Cannot create the institution identity</source>
        <translation>无法创建单位身份</translation>
    </message>
    <message>
        <source>Export a backup of the institution identity</source>
        <translation>导出单位身份备份</translation>
    </message>
    <message>
        <source>Identity backups (*.p12)</source>
        <translation>单位身份备份 (*.p12)</translation>
    </message>
    <message>
        <source>Passphrase for the backup</source>
        <translation>备份的口令</translation>
    </message>
    <message>
        <source>Choose a passphrase that protects the backup. Anyone who has both the file and the passphrase can sign as your institution: keep them apart (for example the file on a USB stick in a safe, the passphrase on paper elsewhere). Without the passphrase the backup cannot be used.</source>
        <translation>请设置保护备份的口令。任何人同时拥有备份文件和口令，都能以贵单位的名义签章：请将两者分开保管（例如文件存于保险柜中的 U 盘，口令写在纸上另处存放）。没有口令，备份将无法使用。</translation>
    </message>
    <message>
        <source>&amp;Export backup</source>
        <translation>导出备份(&amp;E)</translation>
    </message>
    <message>
        <source>export the backup</source>
        <translation>导出备份</translation>
    </message>
    <message>
        <source>The backup was saved to {path}, and the encryption key beside it to {side}.</source>
        <translation>备份已保存到 {path}，加密私钥保存在旁边的 {side}。</translation>
    </message>
    <message>
        <source>Keep the two files together, offline and apart from their passphrase. To move the identity to another computer, use Import backup there (the encryption key is found beside the backup).</source>
        <translation>请将两个文件放在一起离线保存，并与口令分开存放。要把身份迁移到另一台电脑，请在那台电脑上使用“导入备份”（会自动找到备份旁边的加密私钥）。</translation>
    </message>
    <message>
        <source>The backup was saved to {path}.</source>
        <translation>备份已保存到 {path}。</translation>
    </message>
    <message>
        <source>Keep it offline and apart from its passphrase. To move the identity to another computer, use Import backup there.</source>
        <translation>请离线保存，并与口令分开保管。要把单位身份迁移到另一台电脑，请在那台电脑上使用“导入备份”。</translation>
    </message>
    <message>
        <source>Export the certificate for reviewers</source>
        <translation>为审阅方导出证书</translation>
    </message>
    <message>
        <source>Certificates (*.pem);;All files (*)</source>
        <translation>证书 (*.pem);;所有文件 (*)</translation>
    </message>
    <message>
        <source>The certificate was saved to {path}.</source>
        <translation>证书已保存到 {path}。</translation>
    </message>
    <message>
        <source>It holds no secret. Send it to reviewers, and tell them the fingerprint through another channel (for example over the phone) so they can check the certificate is yours.</source>
        <translation>证书不含任何机密。请将它发送给审阅方，并通过另一渠道（例如电话）告知指纹，以便对方核实证书确属贵单位。</translation>
    </message>
    <message>
        <source>Import a backup of the institution identity</source>
        <translation>导入单位身份备份</translation>
    </message>
    <message>
        <source>This computer already has an institution identity, “{name}”. Importing a backup of another identity replaces it.</source>
        <translation>本机已有单位身份“{name}”。导入另一身份的备份将替换它。</translation>
    </message>
    <message>
        <source>&amp;Replace</source>
        <translation>替换(&amp;R)</translation>
    </message>
    <message>
        <source>Identity backups (*.p12 *.pfx);;All files (*)</source>
        <translation>单位身份备份 (*.p12 *.pfx);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Passphrase of the backup</source>
        <translation>备份的口令</translation>
    </message>
    <message>
        <source>Enter the passphrase chosen when the backup {file} was made.</source>
        <translation>请输入制作备份 {file} 时设置的口令。</translation>
    </message>
    <message>
        <source>Importing and encrypting the key…</source>
        <translation>正在导入并加密私钥…</translation>
    </message>
    <message>
        <source>The encryption key was restored from {side}.</source>
        <translation>已从 {side} 恢复加密私钥。</translation>
    </message>
    <message>
        <source>The institution identity “{name}” was imported.</source>
        <translation>已导入单位身份“{name}”。</translation>
    </message>
    <message>
        <source>Fingerprint: {fingerprint}</source>
        <translation>指纹：{fingerprint}</translation>
    </message>
    <message>
        <source>No secure keyring: protect the key with a passphrase</source>
        <translation>没有安全的密钥库：请用口令保护私钥</translation>
    </message>
    <message>
        <source>Choose the passphrase for the key on this computer. You will need it for every signature.</source>
        <translation>请为本机上的私钥设置口令。每次签章都需要输入它。</translation>
    </message>
    <message>
        <source>Delete the institution identity</source>
        <translation>删除单位身份</translation>
    </message>
    <message>
        <source>Remove the damaged institution identity files from this computer?</source>
        <translation>要从本机删除已损坏的单位身份文件吗？</translation>
    </message>
    <message>
        <source>Afterwards you can import a backup (.p12) or create a new identity.</source>
        <translation>删除后可以导入备份（.p12）或新建单位身份。</translation>
    </message>
    <message>
        <source>&amp;Remove files</source>
        <translation>删除文件(&amp;R)</translation>
    </message>
    <message>
        <source>Export a backup first if this identity may be needed again.</source>
        <translation>如果以后可能还需要此身份，请先导出备份。</translation>
    </message>
    <message>
        <source>Delete the institution identity “{name}” from this computer?</source>
        <translation>要从本机删除单位身份“{name}”吗？</translation>
    </message>
    <message>
        <source>&amp;Delete identity</source>
        <translation>删除身份(&amp;D)</translation>
    </message>
</context>
<context>
    <name>IndicatorForm</name>
    <message>
        <source>This indicator does not apply to your application, given your earlier answers.</source>
        <translation>根据您前面的回答，本指标不适用于您的申报。</translation>
    </message>
    <message>
        <source>This indicator has no form fields: attach its evidence files on the right.</source>
        <translation>本指标没有需要填写的栏目：请在右侧添加证明材料。</translation>
    </message>
    <message>
        <source>Form of indicator {id}</source>
        <translation>指标 {id} 的表单</translation>
    </message>
</context>
<context>
    <name>Job</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Please wait</source>
        <translation>请稍候</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
</context>
<context>
    <name>LimitTexts</name>
    <message numerus="yes">
        <source>Only {limit} characters fit here: %n character(s) at the end of what you pasted were not kept.</source>
        <translation>
            <numerusform>此处最多只能填 {limit} 字：粘贴内容末尾的 %n 个字未保留。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LongTextEditor</name>
    <message>
        <source>{n} / {max} characters</source>
        <translation>{n} / {max} 字</translation>
    </message>
    <message>
        <source>{n} characters</source>
        <translation>{n} 字</translation>
    </message>
    <message>
        <source>suggested about {s}</source>
        <translation>建议约 {s} 字</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Could not change the project</source>
        <translation>无法修改项目</translation>
    </message>
    <message>
        <source>&amp;Undo {what}</source>
        <translation>撤销 {what}(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo {what}</source>
        <translation>重做 {what}(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>Everything is saved: each change was written to {file} as you made it.</source>
        <translation>全部内容均已保存：每次修改都已即时写入 {file}。</translation>
    </message>
    <message>
        <source>All changes saved</source>
        <translation>所有修改已保存</translation>
    </message>
    <message>
        <source>{pct}% of your part complete</source>
        <translation>您负责的部分已完成 {pct}%</translation>
    </message>
    <message>
        <source>{pct}% complete</source>
        <translation>已完成 {pct}%</translation>
    </message>
    <message>
        <source>Problems: {blocking}, {warnings}</source>
        <translation>问题：{blocking}，{warnings}</translation>
    </message>
    <message numerus="yes">
        <source>%n blocking</source>
        <translation>
            <numerusform>%n 个阻止提交</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s)</source>
        <translation>
            <numerusform>%n 个警告</numerusform>
        </translation>
    </message>
    <message>
        <source>(no applicant name)</source>
        <translation>（未填写申报单位）</translation>
    </message>
    <message>
        <source>[read-only]</source>
        <translation>[只读]</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Navigation</source>
        <translation>导航</translation>
    </message>
    <message>
        <source>All changes are saved automatically</source>
        <translation>所有修改均自动保存</translation>
    </message>
</context>
<context>
    <name>MultiChoiceEditor</name>
    <message>
        <source>choose at least {n}</source>
        <translation>至少选择 {n} 项</translation>
    </message>
    <message>
        <source>choose at most {n}</source>
        <translation>最多选择 {n} 项</translation>
    </message>
</context>
<context>
    <name>NavTree</name>
    <message>
        <source>complete</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>has problems</source>
        <translation>有问题</translation>
    </message>
    <message>
        <source>not started</source>
        <translation>未开始</translation>
    </message>
    <message>
        <source>does not apply</source>
        <translation>不适用</translation>
    </message>
    <message>
        <source>{pct}% of your part complete</source>
        <translation>您负责的部分已完成 {pct}%</translation>
    </message>
    <message>
        <source>{pct}% complete</source>
        <translation>已完成 {pct}%</translation>
    </message>
    <message>
        <source>Completeness: {pct}%</source>
        <translation>完成度：{pct}%</translation>
    </message>
    <message>
        <source>{title}: {done} of {total} required answers given</source>
        <translation>{title}：必填项已完成 {done} / {total}</translation>
    </message>
    <message>
        <source>Sections and indicators</source>
        <translation>章节与指标</translation>
    </message>
</context>
<context>
    <name>NewPassphraseFields</name>
    <message>
        <source>At least {n} characters ({more} more). A short sentence is easy to remember and hard to guess.</source>
        <translation>至少 {n} 个字符（还差 {more} 个）。一句话既好记又难猜。</translation>
    </message>
    <message>
        <source>Type the same passphrase again in the second field.</source>
        <translation>请在第二个输入框中再次输入相同的口令。</translation>
    </message>
    <message>
        <source>Repeat the passphrase in the second field.</source>
        <translation>请在第二个输入框中重复输入口令。</translation>
    </message>
    <message>
        <source>✓ The passphrase can be used.</source>
        <translation>✓ 此口令可以使用。</translation>
    </message>
    <message>
        <source>&amp;Passphrase:</source>
        <translation>口令(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Repeat passphrase:</source>
        <translation>重复口令(&amp;R)：</translation>
    </message>
    <message>
        <source>&amp;Show the passphrase</source>
        <translation>显示口令(&amp;S)</translation>
    </message>
    <message>
        <source>New passphrase</source>
        <translation>新口令</translation>
    </message>
    <message>
        <source>Repeat the new passphrase</source>
        <translation>重复新口令</translation>
    </message>
    <message>
        <source>Show the passphrase</source>
        <translation>显示口令</translation>
    </message>
</context>
<context>
    <name>NumberEditor</name>
    <message>
        <source>from {min} to {max}</source>
        <translation>{min} 至 {max}</translation>
    </message>
    <message>
        <source>at least {min}</source>
        <translation>不少于 {min}</translation>
    </message>
    <message>
        <source>at most {max}</source>
        <translation>不超过 {max}</translation>
    </message>
    <message>
        <source>whole number</source>
        <translation>整数</translation>
    </message>
    <message>
        <source>number</source>
        <translation>数字</translation>
    </message>
</context>
<context>
    <name>OfficialTextPanel</name>
    <message>
        <source>Official text (观测点)</source>
        <translation>官方原文（观测点）</translation>
    </message>
    <message>
        <source>Official text of the indicator</source>
        <translation>指标的官方原文</translation>
    </message>
</context>
<context>
    <name>PackageDialog</name>
    <message>
        <source>Verify a package</source>
        <translation>校验申报包</translation>
    </message>
    <message>
        <source>Checking {name}…</source>
        <translation>正在校验 {name}…</translation>
    </message>
    <message>
        <source>The earlier package this delta is based on</source>
        <translation>此增量包所依据的之前的数据包</translation>
    </message>
    <message>
        <source>Dossier packages (*.zip *.age);;All files (*)</source>
        <translation>Dossier 申报包 (*.zip *.age);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Choose the institution&apos;s certificate</source>
        <translation>选择该单位的证书</translation>
    </message>
    <message>
        <source>Certificates (*.pem *.crt *.cer *.der);;All files (*)</source>
        <translation>证书 (*.pem *.crt *.cer *.der);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Fingerprint of the certificate {file}</source>
        <translation>证书 {file} 的指纹</translation>
    </message>
    <message>
        <source>Signed by the trusted identity: {signer}.</source>
        <translation>由受信任的身份签章：{signer}。</translation>
    </message>
    <message>
        <source>Signed by an unknown identity: {signer}, fingerprint {fingerprint}. Compare this fingerprint with the one the institution gave you.</source>
        <translation>由未知身份签章：{signer}，指纹 {fingerprint}。请将此指纹与该单位告知您的指纹核对。</translation>
    </message>
    <message>
        <source>Not signed.</source>
        <translation>未签章。</translation>
    </message>
    <message>
        <source>Signature invalid: {reason}</source>
        <translation>签章无效：{reason}</translation>
    </message>
    <message>
        <source>The signature was not checked: {reason}</source>
        <translation>未校验签章：{reason}</translation>
    </message>
    <message>
        <source>Program: {title} ({id} {version})</source>
        <translation>申报项目：{title}（{id} {version}）</translation>
    </message>
    <message>
        <source>Applicant: {name}</source>
        <translation>申报单位：{name}</translation>
    </message>
    <message>
        <source>Sealed at: {time}</source>
        <translation>封装时间：{time}</translation>
    </message>
    <message>
        <source>DRAFT</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source>Content digest: {digest}</source>
        <translation>内容摘要：{digest}</translation>
    </message>
    <message>
        <source>Data package: {status}</source>
        <translation>数据包：{status}</translation>
    </message>
    <message>
        <source>Submission PDF: {status}</source>
        <translation>申报 PDF：{status}</translation>
    </message>
    <message>
        <source>Without a signature, the package does not say who made it.</source>
        <translation>没有签章，无法从数据包得知是谁制作的。</translation>
    </message>
    <message>
        <source>To check who signed it, enter the fingerprint the institution gave you (by phone or in an official letter), or choose its certificate file, then check again.</source>
        <translation>要核实签章人，请输入该单位告知您的指纹（通过电话或正式公函），或选择其证书文件，然后重新校验。</translation>
    </message>
    <message>
        <source>Checked against the trusted fingerprint {fingerprint}.</source>
        <translation>已按受信任的指纹 {fingerprint} 校验。</translation>
    </message>
    <message>
        <source>Verify a package — {name}</source>
        <translation>校验申报包 — {name}</translation>
    </message>
    <message>
        <source>What</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Differences found</source>
        <translation>发现的差异</translation>
    </message>
    <message>
        <source>Who signed it</source>
        <translation>签章人</translation>
    </message>
    <message>
        <source>Trusted &amp;fingerprint:</source>
        <translation>受信任的指纹(&amp;F)：</translation>
    </message>
    <message>
        <source>e.g. 9F85 25EB 5473 … (64 hex digits, spaces optional)</source>
        <translation>例如 9F85 25EB 5473 …（64 位十六进制数字，空格可有可无）</translation>
    </message>
    <message>
        <source>Fingerprint of the trusted institution</source>
        <translation>受信任单位的指纹</translation>
    </message>
    <message>
        <source>&amp;Certificate file…</source>
        <translation>证书文件(&amp;C)…</translation>
    </message>
    <message>
        <source>Trust the institution whose certificate file (.pem) you received</source>
        <translation>信任您收到其证书文件（.pem）的单位</translation>
    </message>
    <message>
        <source>Check &amp;again</source>
        <translation>重新校验(&amp;A)</translation>
    </message>
    <message>
        <source>Earlier &amp;package…</source>
        <translation>之前的数据包(&amp;P)…</translation>
    </message>
    <message>
        <source>Signature of the data package</source>
        <translation>数据包的签章</translation>
    </message>
    <message>
        <source>Signature of the submission PDF</source>
        <translation>申报 PDF 的签章</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在校验…</translation>
    </message>
</context>
<context>
    <name>PassphraseDialog</name>
    <message>
        <source>Passphrase</source>
        <translation>口令</translation>
    </message>
    <message>
        <source>&amp;Passphrase:</source>
        <translation>口令(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Show the passphrase</source>
        <translation>显示口令(&amp;S)</translation>
    </message>
    <message>
        <source>Show the passphrase</source>
        <translation>显示口令</translation>
    </message>
</context>
<context>
    <name>PreviewDialog</name>
    <message>
        <source>Preview — {name}</source>
        <translation>预览 — {name}</translation>
    </message>
    <message>
        <source>&amp;Fit to the window (Ctrl+0: real size)</source>
        <translation>适应窗口大小(&amp;F)（Ctrl+0：实际大小）</translation>
    </message>
    <message>
        <source>&amp;Open with the system viewer</source>
        <translation>用系统查看器打开(&amp;O)</translation>
    </message>
    <message>
        <source>Open the file with the program this computer uses for it</source>
        <translation>用本机为此类文件设定的程序打开</translation>
    </message>
    <message>
        <source>Text of the file</source>
        <translation>文件的文本</translation>
    </message>
    <message>
        <source>Picture of the file</source>
        <translation>文件的图像</translation>
    </message>
</context>
<context>
    <name>PreviewLoader</name>
    <message>
        <source>Preview available when the current task has finished</source>
        <translation>当前任务完成后即可预览</translation>
    </message>
    <message>
        <source>Too large to preview: use Open</source>
        <translation>文件太大，无法预览：请点击“打开”</translation>
    </message>
    <message>
        <source>This image cannot be shown here: use Open</source>
        <translation>此处无法显示该图片：请点击“打开”</translation>
    </message>
    <message numerus="yes">
        <source>%n page(s)</source>
        <translation>
            <numerusform>%n 页</numerusform>
        </translation>
    </message>
    <message>
        <source>No preview of this PDF: use Open to read it</source>
        <translation>无法预览此 PDF：请点击“打开”阅读</translation>
    </message>
    <message>
        <source>No preview for this type of file: use Open</source>
        <translation>此类文件无法预览：请点击“打开”</translation>
    </message>
</context>
<context>
    <name>ProblemsPanel</name>
    <message>
        <source>Blocking</source>
        <translation>阻止提交</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>Whole application</source>
        <translation>整个申报</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <source>Indicator</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>All problems of the application</source>
        <translation>申报中的全部问题</translation>
    </message>
    <message>
        <source>No problems: everything required is filled in.</source>
        <translation>没有问题：所有必填内容均已填写。</translation>
    </message>
    <message>
        <source>Problems of this indicator</source>
        <translation>本指标的问题</translation>
    </message>
    <message>
        <source>No problems in this indicator.</source>
        <translation>本指标没有问题。</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>问题</translation>
    </message>
</context>
<context>
    <name>ProjectSession</name>
    <message>
        <source>Adding {name}…</source>
        <translation>正在添加 {name}…</translation>
    </message>
    <message>
        <source>Adding evidence files…</source>
        <translation>正在添加证明材料…</translation>
    </message>
</context>
<context>
    <name>StartWindow</name>
    <message>
        <source>{path}
Not found: moved, renamed, or on a drive that is not connected</source>
        <translation>{path}
找不到：可能已被移动、改名，或位于未连接的驱动器上</translation>
    </message>
    <message>
        <source>{pct}% complete</source>
        <translation>已完成 {pct}%</translation>
    </message>
    <message>
        <source>edited {time}</source>
        <translation>修改于 {time}</translation>
    </message>
    <message>
        <source>Applications to industry–education programs</source>
        <translation>产教融合项目申报</translation>
    </message>
    <message>
        <source>Dossier</source>
        <translation>Dossier 申报助手</translation>
    </message>
    <message>
        <source>Prepare an application to one of China&apos;s industry–education programs: fill in the indicators, attach the evidence, seal and export the submission.</source>
        <translation>准备产教融合类项目的申报材料：逐项填写指标，添加证明材料，封装并导出申报包。</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>语言(&amp;L)：</translation>
    </message>
    <message>
        <source>New application</source>
        <translation>新建申报</translation>
    </message>
    <message>
        <source>1. Choose the &amp;program:</source>
        <translation>1. 选择申报项目(&amp;P)：</translation>
    </message>
    <message>
        <source>Programs</source>
        <translation>申报项目</translation>
    </message>
    <message>
        <source>2. &amp;Applicant (your school, government department or institution):</source>
        <translation>2. 申报单位（学校、政府部门或机构）(&amp;A)：</translation>
    </message>
    <message>
        <source>e.g. 广西机电职业技术学院</source>
        <translation>例如：广西机电职业技术学院</translation>
    </message>
    <message>
        <source>Applicant name</source>
        <translation>申报单位名称</translation>
    </message>
    <message>
        <source>&amp;Create project…</source>
        <translation>创建项目(&amp;C)…</translation>
    </message>
    <message>
        <source>Choose where to save the new project file</source>
        <translation>选择新项目文件的保存位置</translation>
    </message>
    <message>
        <source>&amp;Install a program definition…</source>
        <translation>安装申报项目定义(&amp;I)…</translation>
    </message>
    <message>
        <source>Continue an application</source>
        <translation>继续申报</translation>
    </message>
    <message>
        <source>&amp;Open project…</source>
        <translation>打开项目(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Recent projects:</source>
        <translation>最近的项目(&amp;R)：</translation>
    </message>
    <message>
        <source>Recent projects</source>
        <translation>最近的项目</translation>
    </message>
    <message>
        <source>Projects you open or create will be listed here.</source>
        <translation>您打开或创建的项目会列在这里。</translation>
    </message>
    <message>
        <source>Open a submitted &amp;package and verify it…</source>
        <translation>打开已提交的申报包并校验(&amp;K)…</translation>
    </message>
    <message>
        <source>Re&amp;view packages…</source>
        <translation>评审数据包(&amp;V)…</translation>
    </message>
    <message>
        <source>The reviewer&apos;s desk: take in many packages, compare them, return them for revision</source>
        <translation>评审工作台：批量接收数据包、对比并退回修改</translation>
    </message>
    <message>
        <source>Everything stays on this computer. Press F1 for help.</source>
        <translation>所有数据均保存在本机。按 F1 查看帮助。</translation>
    </message>
    <message>
        <source>Institution i&amp;dentity…</source>
        <translation>单位身份(&amp;D)…</translation>
    </message>
    <message>
        <source>The key that signs your exports: create, back up, import or delete it</source>
        <translation>为导出文件签章的私钥：创建、备份、导入或删除</translation>
    </message>
    <message>
        <source>{n} program definition files could not be read and are not listed.</source>
        <translation>有 {n} 个申报项目定义文件无法读取，未列出。</translation>
    </message>
</context>
<context>
    <name>TableEditor</name>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Add row</source>
        <translation>添加行</translation>
    </message>
    <message>
        <source>Add a row below the current one (Ctrl+Enter)</source>
        <translation>在当前行下方添加一行（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Remove rows</source>
        <translation>删除行</translation>
    </message>
    <message>
        <source>Remove the selected rows (Ctrl+Delete)</source>
        <translation>删除所选行（Ctrl+Delete）</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Move the current row up (Alt+Up)</source>
        <translation>将当前行上移（Alt+↑）</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>Move the current row down (Alt+Down)</source>
        <translation>将当前行下移（Alt+↓）</translation>
    </message>
    <message>
        <source>Paste rows</source>
        <translation>粘贴行</translation>
    </message>
    <message>
        <source>Paste rows copied from Excel, WPS or LibreOffice (Ctrl+V)</source>
        <translation>粘贴从 Excel、WPS 或 LibreOffice 复制的行（Ctrl+V）</translation>
    </message>
    <message>
        <source>{n} rows</source>
        <translation>{n} 行</translation>
    </message>
    <message>
        <source>at least {n}</source>
        <translation>至少 {n} 行</translation>
    </message>
    <message>
        <source>at most {n}</source>
        <translation>最多 {n} 行</translation>
    </message>
    <message>
        <source>row {r}, “{col}”: {msg}</source>
        <translation>第 {r} 行“{col}”：{msg}</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message numerus="yes">
        <source>(and %n more)</source>
        <translation>
            <numerusform>（另有 %n 处）</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing was pasted:</source>
        <translation>未粘贴任何内容：</translation>
    </message>
</context>
<context>
    <name>TableModel</name>
    <message>
        <source>Row {n}, “{col}”: {msg}</source>
        <translation>第 {n} 行“{col}”：{msg}</translation>
    </message>
</context>
<context>
    <name>TextEditor</name>
    <message>
        <source>{n} / {max}</source>
        <translation>{n} / {max}</translation>
    </message>
    <message>
        <source>at most {n} characters</source>
        <translation>{n} 字以内</translation>
    </message>
</context>
<context>
    <name>Undo</name>
    <message>
        <source>Edit “{field}”</source>
        <translation>编辑“{field}”</translation>
    </message>
    <message>
        <source>Edit the note of “{name}”</source>
        <translation>编辑“{name}”的备注</translation>
    </message>
    <message>
        <source>Removing evidence…</source>
        <translation>正在移除证明材料…</translation>
    </message>
    <message>
        <source>Restoring evidence…</source>
        <translation>正在恢复证明材料…</translation>
    </message>
    <message>
        <source>Add evidence {names}</source>
        <translation>添加证明材料 {names}</translation>
    </message>
    <message>
        <source>Remove evidence {names}</source>
        <translation>移除证明材料 {names}</translation>
    </message>
</context>
<context>
    <name>VerdictText</name>
    <message>
        <source>Intact: the package is exactly as it was sealed.</source>
        <translation>完好：数据包与封装时完全一致。</translation>
    </message>
    <message>
        <source>Untrusted: the content is intact, but it is not signed by the identity you trust.</source>
        <translation>不受信任：内容完好，但不是由您信任的身份签章的。</translation>
    </message>
    <message>
        <source>Tampered: the package was changed after it was sealed.</source>
        <translation>已被篡改：数据包在封装后被改动过。</translation>
    </message>
    <message>
        <source>Unreadable: this is not a package Dossier can check.</source>
        <translation>无法读取：这不是 Dossier 能够校验的数据包。</translation>
    </message>
    <message>
        <source>INTACT</source>
        <translation>完好</translation>
    </message>
    <message>
        <source>UNTRUSTED</source>
        <translation>不受信任</translation>
    </message>
    <message>
        <source>TAMPERED</source>
        <translation>已被篡改</translation>
    </message>
    <message>
        <source>UNREADABLE</source>
        <translation>无法读取</translation>
    </message>
    <message>
        <source>modified</source>
        <translation>已修改</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>缺失</translation>
    </message>
    <message>
        <source>extra file</source>
        <translation>多出的文件</translation>
    </message>
    <message>
        <source>renamed</source>
        <translation>已改名</translation>
    </message>
    <message>
        <source>inconsistent</source>
        <translation>不一致</translation>
    </message>
    <message>
        <source>check failed</source>
        <translation>检查未通过</translation>
    </message>
    <message>
        <source>the files of the package</source>
        <translation>数据包中的文件</translation>
    </message>
    <message>
        <source>content digest</source>
        <translation>内容摘要</translation>
    </message>
    <message>
        <source>signature of the data package</source>
        <translation>数据包的签章</translation>
    </message>
    <message>
        <source>signature of the PDF</source>
        <translation>PDF 的签章</translation>
    </message>
    <message>
        <source>format of answers.json</source>
        <translation>answers.json 的格式</translation>
    </message>
    <message>
        <source>evidence listed in answers.json</source>
        <translation>answers.json 列出的证明材料</translation>
    </message>
    <message>
        <source>answers.json against program.yaml</source>
        <translation>answers.json 与 program.yaml 的对照</translation>
    </message>
    <message>
        <source>the PDF against its data</source>
        <translation>PDF 与其数据的对照</translation>
    </message>
    <message>
        <source>its SHA-256 differs from the manifest: the file was changed</source>
        <translation>其 SHA-256 与清单不符：文件已被改动</translation>
    </message>
    <message>
        <source>its SHA-256 differs from the tag manifest</source>
        <translation>其 SHA-256 与标签清单不符</translation>
    </message>
    <message>
        <source>it matches the manifest, but not the content listing sealed in the PDF</source>
        <translation>与清单一致，但与 PDF 中封存的内容列表不符</translation>
    </message>
    <message>
        <source>listed in the manifest, but not in the package</source>
        <translation>清单中列出，但数据包中没有</translation>
    </message>
    <message>
        <source>listed in the PDF&apos;s content listing, but not in the package</source>
        <translation>PDF 的内容列表中列出，但数据包中没有</translation>
    </message>
    <message>
        <source>not listed in the manifest: it was added</source>
        <translation>清单中没有：是后来加入的</translation>
    </message>
    <message>
        <source>not part of the package: it was added</source>
        <translation>不属于数据包：是后来加入的</translation>
    </message>
    <message>
        <source>outside the package folder: it was added</source>
        <translation>在数据包文件夹之外：是后来加入的</translation>
    </message>
    <message>
        <source>a file every package has</source>
        <translation>每个数据包都应有的文件</translation>
    </message>
    <message>
        <source>not a valid manifest</source>
        <translation>不是有效的清单</translation>
    </message>
    <message>
        <source>not a valid tag manifest</source>
        <translation>不是有效的标签清单</translation>
    </message>
    <message>
        <source>not a valid bag-info.txt</source>
        <translation>不是有效的 bag-info.txt</translation>
    </message>
    <message>
        <source>does not agree with the files of the package</source>
        <translation>与数据包中的文件不符</translation>
    </message>
    <message>
        <source>altered</source>
        <translation>已被改动</translation>
    </message>
    <message>
        <source>too large to check</source>
        <translation>太大，无法校验</translation>
    </message>
    <message>
        <source>the PDF has no embedded content listing</source>
        <translation>PDF 中没有嵌入内容列表</translation>
    </message>
    <message>
        <source>the PDF records no content digest</source>
        <translation>PDF 中没有记录内容摘要</translation>
    </message>
    <message>
        <source>the content listing embedded in the PDF is malformed</source>
        <translation>PDF 中嵌入的内容列表格式有误</translation>
    </message>
    <message>
        <source>the content listing embedded in the PDF does not match the digest the PDF records</source>
        <translation>PDF 中嵌入的内容列表与 PDF 记录的摘要不符</translation>
    </message>
    <message>
        <source>there is no manifest and no readable content listing to check the files against</source>
        <translation>既没有清单，也没有可读的内容列表，无法核对文件</translation>
    </message>
    <message>
        <source>data/answers.json is missing</source>
        <translation>缺少 data/answers.json</translation>
    </message>
    <message>
        <source>it differs from the copy sealed in the PDF</source>
        <translation>与 PDF 中封存的副本不同</translation>
    </message>
    <message>
        <source>data/program.yaml is missing</source>
        <translation>缺少 data/program.yaml</translation>
    </message>
    <message>
        <source>it differs from the program definition answers.json was made with</source>
        <translation>与生成 answers.json 时所用的项目定义不同</translation>
    </message>
    <message>
        <source>not signed, but a trusted identity is required</source>
        <translation>未签章，但要求由受信任的身份签章</translation>
    </message>
    <message>
        <source>signed, but not by the identity you trust</source>
        <translation>已签章，但不是由您信任的身份签章的</translation>
    </message>
    <message>
        <source>signatures cannot be checked in this version</source>
        <translation>此版本无法校验签章</translation>
    </message>
    <message>
        <source>the signature does not verify: the signed files were changed</source>
        <translation>签章校验不通过：签章所覆盖的文件已被改动</translation>
    </message>
    <message>
        <source>the PDF is signed by someone other than the signer the package names</source>
        <translation>PDF 的签章人不是数据包所写明的签章人</translation>
    </message>
    <message>
        <source>the data package is signed by someone other than the signer the package names</source>
        <translation>数据包的签章人不是数据包所写明的签章人</translation>
    </message>
    <message>
        <source>now {x}</source>
        <translation>现为 {x}</translation>
    </message>
    <message>
        <source>the entries for {x} were changed</source>
        <translation>{x} 的条目已被改动</translation>
    </message>
    <message>
        <source>not a readable PDF ({x})</source>
        <translation>不是可读的 PDF（{x}）</translation>
    </message>
    <message>
        <source>evidence does not match answers.json: {x}</source>
        <translation>证明材料与 answers.json 不符：{x}</translation>
    </message>
    <message>
        <source>not a valid program definition: {x}</source>
        <translation>不是有效的项目定义：{x}</translation>
    </message>
    <message>
        <source>does not list {x}</source>
        <translation>没有列出 {x}</translation>
    </message>
    <message>
        <source>wrong checksum for {x}</source>
        <translation>{x} 的校验值有误</translation>
    </message>
    <message>
        <source>lists {x}, which does not exist</source>
        <translation>列出了不存在的 {x}</translation>
    </message>
    <message>
        <source>the files hash to {x}, not to the digest the PDF records</source>
        <translation>文件的摘要为 {x}，与 PDF 记录的摘要不符</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source>signed by the trusted identity</source>
        <translation>由受信任的身份签章</translation>
    </message>
    <message>
        <source>signed by an unknown identity</source>
        <translation>由未知身份签章</translation>
    </message>
    <message>
        <source>not signed</source>
        <translation>未签章</translation>
    </message>
    <message>
        <source>signature invalid</source>
        <translation>签章无效</translation>
    </message>
    <message>
        <source>not checked</source>
        <translation>未校验</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) in the package</source>
        <translation>
            <numerusform>数据包中有 %n 个文件</numerusform>
        </translation>
    </message>
    <message>
        <source>{a}: {b}</source>
        <translation>{a}：{b}</translation>
    </message>
    <message>
        <source>Volume {index} of {count}</source>
        <translation>第 {index} 卷，共 {count} 卷</translation>
    </message>
    <message>
        <source>Program: {title} ({id} {version})</source>
        <translation>项目：{title}（{id} {version}）</translation>
    </message>
    <message>
        <source>Applicant: {name}</source>
        <translation>申报单位：{name}</translation>
    </message>
    <message>
        <source>Sealed at: {time}</source>
        <translation>封装时间：{time}</translation>
    </message>
    <message>
        <source>DRAFT</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source>Content digest: {digest}</source>
        <translation>内容摘要：{digest}</translation>
    </message>
    <message>
        <source>Data package</source>
        <translation>数据包</translation>
    </message>
    <message>
        <source>Submission PDF</source>
        <translation>申报 PDF</translation>
    </message>
    <message>
        <source>fingerprint {fingerprint}</source>
        <translation>指纹 {fingerprint}</translation>
    </message>
</context>
<context>
    <name>WindowActions</name>
    <message>
        <source>&amp;New project…</source>
        <translation>新建项目(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Open project…</source>
        <translation>打开项目(&amp;O)…</translation>
    </message>
    <message>
        <source>Open &amp;package and verify…</source>
        <translation>打开申报包并校验(&amp;P)…</translation>
    </message>
    <message>
        <source>Import reviewer &amp;notes…</source>
        <translation>导入评审意见(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Close project</source>
        <translation>关闭项目(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Seal &amp;&amp; export…</source>
        <translation>封装并导出(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Save (everything is saved as you type)</source>
        <translation>保存(&amp;S)（输入时已自动保存）</translation>
    </message>
    <message>
        <source>&amp;Next indicator</source>
        <translation>下一个指标(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Previous indicator</source>
        <translation>上一个指标(&amp;P)</translation>
    </message>
    <message>
        <source>Next &amp;panel</source>
        <translation>下一个面板(&amp;A)</translation>
    </message>
    <message>
        <source>Show all p&amp;roblems</source>
        <translation>显示全部问题(&amp;R)</translation>
    </message>
    <message>
        <source>Dossier &amp;help</source>
        <translation>Dossier 帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About Dossier</source>
        <translation>关于 Dossier(&amp;A)</translation>
    </message>
    <message>
        <source>Co&amp;ver details…</source>
        <translation>封面信息(&amp;V)…</translation>
    </message>
    <message>
        <source>Contact person, telephone, date and recommending authority on the cover</source>
        <translation>封面上的联系人、联系电话、填报日期和推荐单位</translation>
    </message>
    <message>
        <source>Institution &amp;identity…</source>
        <translation>单位身份(&amp;I)…</translation>
    </message>
    <message>
        <source>The key that signs your exports: create, back up, import or delete it</source>
        <translation>为导出文件签章的私钥：创建、备份、导入或删除</translation>
    </message>
    <message>
        <source>S&amp;hare part with a partner…</source>
        <translation>分发部分给合作单位(&amp;H)…</translation>
    </message>
    <message>
        <source>Re&amp;turn to lead…</source>
        <translation>回传给牵头单位(&amp;T)…</translation>
    </message>
    <message>
        <source>&amp;Merge returned part…</source>
        <translation>合并回传部分(&amp;M)…</translation>
    </message>
    <message>
        <source>Hand-o&amp;ffs…</source>
        <translation>分工记录(&amp;F)…</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>设置(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
</context>
</TS>
