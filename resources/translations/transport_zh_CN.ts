<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>TransportKeyCard</name>
    <message>
        <source>Save the encryption key card</source>
        <translation>保存加密公钥卡</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
    <message>
        <source>The key card was saved to {path}.</source>
        <translation>公钥卡已保存到 {path}。</translation>
    </message>
    <message>
        <source>Publish it with your call for applications: applicants encrypt their packages to this key. Its fingerprint, to confirm by phone: {fp}</source>
        <translation>请随申报通知一起发布：申报单位将用此公钥加密数据包。电话核对用的公钥指纹：{fp}</translation>
    </message>
</context>
<context>
    <name>TransportKeys</name>
    <message>
        <source>Open an encrypted package</source>
        <translation>打开加密的数据包</translation>
    </message>
    <message>
        <source>open the encrypted package</source>
        <translation>打开加密的数据包</translation>
    </message>
    <message>
        <source>Encrypt for the reviewer</source>
        <translation>为评审方加密</translation>
    </message>
    <message>
        <source>make your encryption key</source>
        <translation>生成您的加密密钥</translation>
    </message>
</context>
<context>
    <name>TransportOptions</name>
    <message>
        <source>Reviewer&apos;s key card</source>
        <translation>评审方的公钥卡</translation>
    </message>
    <message>
        <source>Key cards (*.pdf);;All files (*)</source>
        <translation>公钥卡 (*.pdf);;所有文件 (*)</translation>
    </message>
    <message>
        <source>The earlier package</source>
        <translation>之前的数据包</translation>
    </message>
    <message>
        <source>Dossier packages (*.zip *.age);;All files (*)</source>
        <translation>Dossier 申报包 (*.zip *.age);;所有文件 (*)</translation>
    </message>
    <message>
        <source>FAT32 drive</source>
        <translation>FAT32 磁盘</translation>
    </message>
    <message>
        <source>The package will be about {size:.1f} GiB, but the output folder is on a FAT32 drive, which cannot hold files of 4 GiB or more.</source>
        <translation>数据包约 {size:.1f} GiB，但输出文件夹位于 FAT32 磁盘上，无法保存 4 GiB 及以上的文件。</translation>
    </message>
    <message>
        <source>Split into 4 GiB volumes</source>
        <translation>分成 4 GiB 的分卷</translation>
    </message>
    <message>
        <source>Transport</source>
        <translation>传送方式</translation>
    </message>
    <message>
        <source>Split into &amp;volumes:</source>
        <translation>分卷(&amp;V)：</translation>
    </message>
    <message>
        <source>e-mail (20 MB)</source>
        <translation>电子邮件（20 MB）</translation>
    </message>
    <message>
        <source>CD (700 MB)</source>
        <translation>光盘 CD（700 MB）</translation>
    </message>
    <message>
        <source>DVD (4.7 GB)</source>
        <translation>DVD（4.7 GB）</translation>
    </message>
    <message>
        <source>FAT32 USB stick (4 GiB)</source>
        <translation>FAT32 U 盘（4 GiB）</translation>
    </message>
    <message>
        <source>custom size…</source>
        <translation>自定义大小…</translation>
    </message>
    <message>
        <source>e.g. 50M</source>
        <translation>例如 50M</translation>
    </message>
    <message>
        <source>Custom volume size</source>
        <translation>自定义分卷大小</translation>
    </message>
    <message>
        <source>Add &amp;recovery data:</source>
        <translation>添加恢复数据(&amp;R)：</translation>
    </message>
    <message>
        <source>PAR2 files beside each file; a damaged disc or download can be repaired (dossier repair).</source>
        <translation>在每个文件旁生成 PAR2 文件；光盘损坏或下载不完整时可以修复（dossier repair）。</translation>
    </message>
    <message>
        <source>&amp;Encrypt for the reviewer:</source>
        <translation>为评审方加密(&amp;E)：</translation>
    </message>
    <message>
        <source>the reviewer&apos;s key, age1… (several: separate with spaces)</source>
        <translation>评审方的公钥 age1…（多个时用空格分隔）</translation>
    </message>
    <message>
        <source>Reviewer&apos;s encryption keys</source>
        <translation>评审方的加密公钥</translation>
    </message>
    <message>
        <source>&amp;Key card…</source>
        <translation>公钥卡(&amp;K)…</translation>
    </message>
    <message>
        <source>Also encrypted to your own key, so you can open what you sent. The PDF is not written in clear text beside it.</source>
        <translation>同时用您自己的公钥加密，以便您能打开发出的数据包。PDF 不会以明文另行保存。</translation>
    </message>
    <message>
        <source>Only what &amp;changed since:</source>
        <translation>仅包含变化部分，相对于(&amp;C)：</translation>
    </message>
    <message>
        <source>Earlier export</source>
        <translation>之前的导出</translation>
    </message>
    <message>
        <source>&amp;Package file…</source>
        <translation>数据包文件(&amp;P)…</translation>
    </message>
    <message>
        <source>(no earlier export)</source>
        <translation>（没有之前的导出）</translation>
    </message>
    <message>
        <source>{n} volumes</source>
        <translation>共 {n} 卷</translation>
    </message>
    <message>
        <source>Encrypted to: {keys}</source>
        <translation>加密接收者：{keys}</translation>
    </message>
    <message>
        <source>Only what changed since package {id}</source>
        <translation>仅包含自数据包 {id} 以来的变化</translation>
    </message>
</context>
</TS>
