<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>DiagnosisText</name>
    <message>
        <source>Not sure: %1</source>
        <translation>不确定：%1</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1%</translation>
    </message>
    <message>
        <source>blurry</source>
        <translation>模糊</translation>
    </message>
    <message>
        <source>dark</source>
        <translation>太暗</translation>
    </message>
    <message>
        <source>overexposed</source>
        <translation>曝光过度</translation>
    </message>
    <message>
        <source>small</source>
        <translation>尺寸太小</translation>
    </message>
</context>
<context>
    <name>ImageLoader</name>
    <message>
        <source>cannot open the file: %1</source>
        <translation>无法打开文件：%1</translation>
    </message>
    <message>
        <source>the file is empty</source>
        <translation>文件为空</translation>
    </message>
    <message>
        <source>not an image this computer can display (%1)</source>
        <translation>本机无法显示此图像（%1）</translation>
    </message>
</context>
<context>
    <name>PlantDiagnosis</name>
    <message>
        <source>answered by model %1, not %2</source>
        <translation>由模型 %1 诊断，而不是 %2</translation>
    </message>
    <message>
        <source>No photo of the plant could be diagnosed</source>
        <translation>该植株的照片均无法诊断</translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n photo(s): %2</source>
        <translation>
            <numerusform>%n 张照片中有 %1 张：%2</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TokenStore</name>
    <message>
        <source>neither GNOME Keyring nor KWallet could be reached; the keychain library said: “%1”</source>
        <translation>无法连接 GNOME Keyring 或 KWallet；密钥环库返回：“%1”</translation>
    </message>
    <message>
        <source>the system keychain could not be used; it said: “%1”</source>
        <translation>无法使用系统密钥环；它返回：“%1”</translation>
    </message>
    <message>
        <source>the keychain refused access: “%1”</source>
        <translation>密钥环拒绝访问：“%1”</translation>
    </message>
    <message numerus="yes">
        <source>the keychain did not answer within %n second(s)</source>
        <translation>
            <numerusform>密钥环在 %n 秒内没有响应</numerusform>
        </translation>
    </message>
    <message>
        <source>the keychain has not answered an earlier question yet</source>
        <translation>密钥环尚未回应之前的请求</translation>
    </message>
</context>
<context>
    <name>orchard::HistoryPanel</name>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Delete the selected entries from the history (Del)</source>
        <translation>从历史记录中删除所选条目（Del）</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Save the entries shown (as filtered) as a CSV file</source>
        <translation>将当前显示（已筛选）的条目保存为 CSV 文件</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>Only diagnoses made on or after this day</source>
        <translation>仅显示这一天及之后的诊断</translation>
    </message>
    <message>
        <source>To</source>
        <translation>到</translation>
    </message>
    <message>
        <source>Only diagnoses made on or before this day</source>
        <translation>仅显示这一天及之前的诊断</translation>
    </message>
    <message>
        <source>Only diagnoses with this label</source>
        <translation>仅显示此类别的诊断</translation>
    </message>
    <message>
        <source>Only diagnoses of this field or plot</source>
        <translation>仅显示此田块/地块的诊断</translation>
    </message>
    <message>
        <source>Not sure only</source>
        <translation>只看不确定的</translation>
    </message>
    <message>
        <source>Only answers the model was not sure of</source>
        <translation>仅显示模型不确定的结果</translation>
    </message>
    <message>
        <source>Search notes and files…</source>
        <translation>搜索备注和文件…</translation>
    </message>
    <message>
        <source>Label:</source>
        <translation>类别：</translation>
    </message>
    <message>
        <source>Tag:</source>
        <translation>地块：</translation>
    </message>
    <message>
        <source>no tag</source>
        <translation>未指定地块</translation>
    </message>
    <message>
        <source>A note for this diagnosis (what you saw, what you did)</source>
        <translation>这次诊断的备注（看到了什么、做了什么）</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Keep this tag and note for the entry</source>
        <translation>保存此条目的地块和备注</translation>
    </message>
    <message>
        <source>Open the Photo</source>
        <translation>打开照片</translation>
    </message>
    <message>
        <source>Show the photo in the image list again, to look at it or diagnose it anew</source>
        <translation>将照片重新放回图像列表，以便查看或重新诊断</translation>
    </message>
    <message>
        <source>Note:</source>
        <translation>备注：</translation>
    </message>
    <message>
        <source>Any label</source>
        <translation>全部类别</translation>
    </message>
    <message>
        <source>Any tag</source>
        <translation>全部地块</translation>
    </message>
    <message>
        <source>History is off: %1</source>
        <translation>历史记录不可用：%1</translation>
    </message>
    <message>
        <source>History is off.</source>
        <translation>历史记录不可用。</translation>
    </message>
    <message>
        <source>The history cannot be read: %1</source>
        <translation>无法读取历史记录：%1</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>Select an entry</source>
        <translation>请选择一个条目</translation>
    </message>
    <message>
        <source>No history</source>
        <translation>无历史记录</translation>
    </message>
    <message>
        <source>no picture</source>
        <translation>无图片</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>Not sure</source>
        <translation>不确定</translation>
    </message>
    <message>
        <source>%1 confident</source>
        <translation>置信度 %1</translation>
    </message>
    <message>
        <source>Top answers: %1</source>
        <translation>最可能的结果：%1</translation>
    </message>
    <message>
        <source>an unnamed model</source>
        <translation>未命名的模型</translation>
    </message>
    <message>
        <source>model %1, version %2</source>
        <translation>模型 %1，版本 %2</translation>
    </message>
    <message>
        <source>model %1</source>
        <translation>模型 %1</translation>
    </message>
    <message>
        <source>%1
%2, by %3 (%4).</source>
        <translation>%1
诊断于 %2，使用%3（%4）。</translation>
    </message>
    <message>
        <source>orchard-cli</source>
        <translation>orchard-cli</translation>
    </message>
    <message>
        <source>desktop client</source>
        <translation>桌面客户端</translation>
    </message>
    <message>
        <source>The photo is no longer at %1</source>
        <translation>照片已不在 %1</translation>
    </message>
    <message>
        <source>Delete from the history</source>
        <translation>从历史记录中删除</translation>
    </message>
    <message>
        <source>Export history</source>
        <translation>导出历史记录</translation>
    </message>
    <message>
        <source>Cannot write %1:
%2</source>
        <translation>无法写入 %1：
%2</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>未保存：%1</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史记录</translation>
    </message>
    <message>
        <source>From a day</source>
        <translation>从某天起</translation>
    </message>
    <message>
        <source>To a day</source>
        <translation>到某天为止</translation>
    </message>
    <message>
        <source>First day</source>
        <translation>起始日期</translation>
    </message>
    <message>
        <source>The first day whose diagnoses are listed, when From is ticked</source>
        <translation>勾选“从”时，列出诊断的第一天</translation>
    </message>
    <message>
        <source>Last day</source>
        <translation>结束日期</translation>
    </message>
    <message>
        <source>The last day whose diagnoses are listed, when To is ticked</source>
        <translation>勾选“到”时，列出诊断的最后一天</translation>
    </message>
    <message>
        <source>Label filter</source>
        <translation>类别筛选</translation>
    </message>
    <message>
        <source>Tag filter</source>
        <translation>地块筛选</translation>
    </message>
    <message>
        <source>Search notes and files</source>
        <translation>搜索备注和文件名</translation>
    </message>
    <message>
        <source>Only diagnoses whose note or file name contains these words</source>
        <translation>只列出备注或文件名包含这些词的诊断</translation>
    </message>
    <message>
        <source>Diagnoses in the history</source>
        <translation>历史记录中的诊断</translation>
    </message>
    <message>
        <source>One row per diagnosis, newest first; Tag and Note can be edited in place, Delete removes the selection</source>
        <translation>每条诊断一行，最新的在前；地块和备注可直接编辑，按 Delete 删除所选记录</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>导出 CSV</translation>
    </message>
    <message>
        <source>Thumbnail of the entry</source>
        <translation>该条记录的缩略图</translation>
    </message>
    <message>
        <source>Tag of the entry</source>
        <translation>该条记录的地块</translation>
    </message>
    <message>
        <source>The field or plot this diagnosis belongs to</source>
        <translation>这条诊断所属的田块或地块</translation>
    </message>
    <message>
        <source>Note of the entry</source>
        <translation>该条记录的备注</translation>
    </message>
    <message>
        <source>Open the photo</source>
        <translation>打开照片</translation>
    </message>
    <message>
        <source>Confidence</source>
        <translation>置信度</translation>
    </message>
    <message numerus="yes">
        <source>%n diagnosis(es)</source>
        <translation>
            <numerusform>%n 条诊断记录</numerusform>
        </translation>
    </message>
    <message>
        <source>The photo of %1</source>
        <translation>%1 的照片</translation>
    </message>
    <message numerus="yes">
        <source>Diagnosed with %n other photo(s) as one plant: %1</source>
        <translation>
            <numerusform>与另外 %n 张照片按同一植株诊断：%1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Delete %n diagnosis(es) from the history? This cannot be undone.</source>
        <translation>
            <numerusform>要从历史记录中删除 %n 条诊断记录吗？此操作无法撤销。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Saved %n diagnosis(es) to %1</source>
        <translation>
            <numerusform>已将 %n 条诊断记录保存到 %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>orchard::HistoryTableModel</name>
    <message>
        <source>%1 (plant)</source>
        <translation>%1（植株）</translation>
    </message>
    <message>
        <source>Diagnosed as one plant: %1</source>
        <translation>按同一植株诊断：%1</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Diagnosis</source>
        <translation>诊断结果</translation>
    </message>
    <message>
        <source>Confidence</source>
        <translation>置信度</translation>
    </message>
    <message>
        <source>Warnings</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>地块</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>, </source>
        <comment>between quality warnings</comment>
        <translation>、</translation>
    </message>
</context>
<context>
    <name>orchard::ImageListModel</name>
    <message>
        <source>%1
waiting for diagnosis…</source>
        <translation>%1
等待诊断…</translation>
    </message>
    <message>
        <source>%1
%2 (%3)</source>
        <translation>%1
%2（%3）</translation>
    </message>
    <message>
        <source>%1
error</source>
        <translation>%1
出错</translation>
    </message>
    <message>
        <source>Not diagnosed yet</source>
        <translation>尚未诊断</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>Done: %1 %2</source>
        <translation>完成：%1 %2</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <source>%1
%2 × %3 pixels, %4
%5</source>
        <translation>%1
%2 × %3 像素，%4
%5</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1，%2</translation>
    </message>
</context>
<context>
    <name>orchard::ImagePreview</name>
    <message>
        <source>Open leaf photos (Ctrl+O), a folder (Ctrl+Shift+O),
or drop them here.</source>
        <translation>打开叶片照片（Ctrl+O）或文件夹（Ctrl+Shift+O），
也可以把它们拖放到这里。</translation>
    </message>
    <message>
        <source>Photo preview</source>
        <translation>照片预览</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message numerus="yes">
        <source>%n found: %1.</source>
        <translation>
            <numerusform>找到 %n 个：%1。</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
</context>
<context>
    <name>orchard::MainWindow</name>
    <message>
        <source>Leaf diagnosis</source>
        <translation>叶片诊断</translation>
    </message>
    <message>
        <source>History is off: %1</source>
        <translation>历史记录不可用：%1</translation>
    </message>
    <message>
        <source>History is off (see the History tab).</source>
        <translation>历史记录不可用（见“历史记录”标签页）。</translation>
    </message>
    <message>
        <source>All %1 server workers are busy: waiting in line at position %2 of %3.</source>
        <translation>服务器的 %1 个工作线程全部忙碌：正在排队，第 %2 位（共 %3 位）。</translation>
    </message>
    <message>
        <source>Connected: %1.</source>
        <translation>已连接：%1。</translation>
    </message>
    <message>
        <source>Server says goodbye: %1</source>
        <translation>服务器通知断开连接：%1</translation>
    </message>
    <message>
        <source>Server error %1: %2</source>
        <translation>服务器错误 %1：%2</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>The server&apos;s certificate has changed</source>
        <translation>服务器的证书已更改</translation>
    </message>
    <message>
        <source>&lt;p&gt;The server at &lt;b&gt;%1:%2&lt;/b&gt; presented a different certificate from the one you trusted, so Orchard did not send it anything.&lt;/p&gt;&lt;p&gt;Presented: &lt;tt&gt;%3&lt;/tt&gt;&lt;br&gt;Trusted: &lt;tt&gt;%4&lt;/tt&gt;&lt;/p&gt;&lt;p&gt;Someone may be impersonating the server. If its administrator replaced the certificate, clear the trusted fingerprint in Settings and connect again.&lt;/p&gt;</source>
        <translation>&lt;p&gt;位于 &lt;b&gt;%1:%2&lt;/b&gt; 的服务器出示的证书与您信任的证书不同，因此 Orchard 没有向它发送任何内容。&lt;/p&gt;&lt;p&gt;出示的证书：&lt;tt&gt;%3&lt;/tt&gt;&lt;br&gt;信任的证书：&lt;tt&gt;%4&lt;/tt&gt;&lt;/p&gt;&lt;p&gt;可能有人在冒充该服务器。如果是服务器管理员更换了证书，请在“设置”中清除受信任的指纹，然后重新连接。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Batch done: %1 of %2 images diagnosed, %3 failed, %4 images/s.</source>
        <translation>批次完成：%2 张图像中已诊断 %1 张，失败 %3 张，%4 张/秒。</translation>
    </message>
    <message>
        <source>The server no longer offers version %1 of model %2, your last choice; its latest version answers instead.</source>
        <translation>服务器已不再提供您上次选择的模型 %2 的版本 %1，改由该模型的最新版本诊断。</translation>
    </message>
    <message>
        <source>The server does not offer model %1, your last choice; its default model, %2, answers instead.</source>
        <translation>服务器不提供您上次选择的模型 %1，改由其默认模型 %2 诊断。</translation>
    </message>
    <message>
        <source>Model %1 chosen: the photos sent from now on are diagnosed by it.</source>
        <translation>已选择模型 %1：之后发送的照片将由它诊断。</translation>
    </message>
    <message>
        <source>the model asked for</source>
        <translation>所请求的模型</translation>
    </message>
    <message>
        <source>model %1, version %2</source>
        <translation>模型 %1，版本 %2</translation>
    </message>
    <message>
        <source>model %1</source>
        <translation>模型 %1</translation>
    </message>
    <message>
        <source>The server does not serve %1: %2</source>
        <translation>服务器不提供%1：%2</translation>
    </message>
    <message>
        <source> The photo not yet diagnosed was kept back.</source>
        <translation>尚未诊断的那张照片已保留。</translation>
    </message>
    <message>
        <source> The %1 photos not yet diagnosed were kept back.</source>
        <translation>尚未诊断的 %1 张照片已保留。</translation>
    </message>
    <message>
        <source> Choose another model in the list and click Predict again.</source>
        <translation>请在列表中选择其他模型，然后再次点击“预测”。</translation>
    </message>
    <message>
        <source>%1 v%2</source>
        <translation>%1 v%2</translation>
    </message>
    <message>
        <source>The model asked for is not served.</source>
        <translation>服务器不提供所请求的模型。</translation>
    </message>
    <message>
        <source>Model %1 is not served: choose another.</source>
        <translation>服务器不提供模型 %1：请另选一个。</translation>
    </message>
    <message>
        <source>&amp;Open Images…</source>
        <translation>打开图像(&amp;O)…</translation>
    </message>
    <message>
        <source>Open leaf photos (Ctrl+O)</source>
        <translation>打开叶片照片（Ctrl+O）</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Open &amp;Folder…</source>
        <translation>打开文件夹(&amp;F)…</translation>
    </message>
    <message>
        <source>Open every photo in a folder (Ctrl+Shift+O)</source>
        <translation>打开文件夹中的所有照片（Ctrl+Shift+O）</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>&amp;Predict</source>
        <translation>预测(&amp;P)</translation>
    </message>
    <message>
        <source>Diagnose the selected image (Ctrl+P)</source>
        <translation>诊断所选图像（Ctrl+P）</translation>
    </message>
    <message>
        <source>Predict &amp;All</source>
        <translation>全部预测(&amp;A)</translation>
    </message>
    <message>
        <source>Diagnose every image in the list (Ctrl+Shift+P)</source>
        <translation>诊断列表中的所有图像（Ctrl+Shift+P）</translation>
    </message>
    <message>
        <source>Diagnose as One P&amp;lant</source>
        <translation>按同一植株诊断(&amp;L)</translation>
    </message>
    <message>
        <source>One Plant</source>
        <translation>同一植株</translation>
    </message>
    <message>
        <source>Combine the selected photos of one plant into one diagnosis (Ctrl+L)</source>
        <translation>将同一植株的所选照片合并为一次诊断（Ctrl+L）</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>取消(&amp;C)</translation>
    </message>
    <message>
        <source>Stop sending the rest of the batch (Esc)</source>
        <translation>停止发送本批次中剩余的图像（Esc）</translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation>连接(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Export CSV…</source>
        <translation>导出 CSV(&amp;E)…</translation>
    </message>
    <message>
        <source>Save the results table as a CSV file (Ctrl+E)</source>
        <translation>将结果表保存为 CSV 文件（Ctrl+E）</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <source>Not sure: T-shirt/top</source>
        <translation>不确定：T-shirt/top</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Plant</source>
        <translation>植株</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史记录</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>日志</translation>
    </message>
    <message>
        <source>Reconnect</source>
        <translation>重新连接</translation>
    </message>
    <message>
        <source>Connect to the server again; images not yet diagnosed are sent</source>
        <translation>重新连接服务器，并发送尚未诊断的图像</translation>
    </message>
    <message>
        <source>%v of %m</source>
        <translation>%v / %m</translation>
    </message>
    <message>
        <source>Connecting to %1:%2…</source>
        <translation>正在连接 %1:%2…</translation>
    </message>
    <message>
        <source>No image files there.</source>
        <translation>该位置没有图像文件。</translation>
    </message>
    <message>
        <source>Cannot load %1: %2</source>
        <translation>无法加载 %1：%2</translation>
    </message>
    <message>
        <source>%1: %2; it will still be sent to the server.</source>
        <translation>%1：%2；仍会将其发送到服务器。</translation>
    </message>
    <message>
        <source>Loaded %1 images; %2 could not be read (see the log).</source>
        <translation>已加载 %1 张图像；%2 张无法读取（见日志）。</translation>
    </message>
    <message>
        <source>Loaded %1 images.</source>
        <translation>已加载 %1 张图像。</translation>
    </message>
    <message>
        <source>Loading %1 images…</source>
        <translation>正在加载 %1 张图像…</translation>
    </message>
    <message>
        <source>Open leaf photos</source>
        <translation>打开叶片照片</translation>
    </message>
    <message>
        <source>Images (%1);;All files (*)</source>
        <translation>图像 (%1);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Open a folder of leaf photos</source>
        <translation>打开叶片照片文件夹</translation>
    </message>
    <message>
        <source>Not every photo of the plant was diagnosed (the batch was cancelled). Click Diagnose as One Plant again.</source>
        <translation>该植株的照片未全部诊断（批次已取消）。请再次点击“按同一植株诊断”。</translation>
    </message>
    <message>
        <source>One plant — %1</source>
        <translation>同一植株 — %1</translation>
    </message>
    <message>
        <source>None of the plant&apos;s photos could be diagnosed.</source>
        <translation>该植株的照片均无法诊断。</translation>
    </message>
    <message>
        <source>no tag</source>
        <translation>未指定地块</translation>
    </message>
    <message>
        <source>The field or plot the photos come from: new diagnoses are kept under it in the history</source>
        <translation>照片来自哪个田块/地块：新的诊断会按此记入历史记录</translation>
    </message>
    <message>
        <source>Field/&amp;plot:</source>
        <translation>田块/地块(&amp;P)：</translation>
    </message>
    <message>
        <source>Not kept in the history: %1</source>
        <translation>未记入历史记录：%1</translation>
    </message>
    <message>
        <source>A diagnosis could not be kept in the history (see the log).</source>
        <translation>有一条诊断未能记入历史记录（见日志）。</translation>
    </message>
    <message>
        <source>Cancelled: %1 images were not diagnosed.</source>
        <translation>已取消：%1 张图像未诊断。</translation>
    </message>
    <message>
        <source>%1 images are kept and will be sent after reconnecting (click Reconnect).</source>
        <translation>%1 张图像已保留，将在重新连接后发送（点击“重新连接”）。</translation>
    </message>
    <message>
        <source>%1 Reconnecting in %2 s (attempt %3 of %4)…</source>
        <translation>%1 %2 秒后重新连接（第 %3 次，共 %4 次）…</translation>
    </message>
    <message>
        <source>Reconnected — re-sending %1 images</source>
        <translation>已重新连接 — 正在重新发送 %1 张图像</translation>
    </message>
    <message>
        <source>Reconnected to %1:%2</source>
        <translation>已重新连接到 %1:%2</translation>
    </message>
    <message>
        <source>No CA certificate could be read from %1; the server&apos;s fingerprint will be checked instead.</source>
        <translation>无法从 %1 读取 CA 证书；将改为核对服务器的指纹。</translation>
    </message>
    <message>
        <source>Trust this server?</source>
        <translation>信任此服务器吗？</translation>
    </message>
    <message>
        <source>&lt;p&gt;The server at &lt;b&gt;%1:%2&lt;/b&gt; presents a certificate this computer has not seen before%3.&lt;/p&gt;&lt;p&gt;SHA-256 fingerprint:&lt;br&gt;&lt;tt&gt;%4&lt;/tt&gt;&lt;/p&gt;&lt;p&gt;Trust it only if the server&apos;s administrator confirms this fingerprint. Orchard will remember it and warn you if it ever changes.&lt;/p&gt;</source>
        <translation>&lt;p&gt;位于 &lt;b&gt;%1:%2&lt;/b&gt; 的服务器出示了本机从未见过的证书%3。&lt;/p&gt;&lt;p&gt;SHA-256 指纹：&lt;br&gt;&lt;tt&gt;%4&lt;/tt&gt;&lt;/p&gt;&lt;p&gt;请仅在服务器管理员确认此指纹后才信任它。Orchard 会记住该证书，一旦它发生变化就会警告您。&lt;/p&gt;</translation>
    </message>
    <message>
        <source> (issued to %1)</source>
        <translation>（颁发给 %1）</translation>
    </message>
    <message>
        <source>Trusting the server&apos;s certificate %1.</source>
        <translation>已信任服务器的证书 %1。</translation>
    </message>
    <message>
        <source>%1
Choose another model in the model list and click Predict again.</source>
        <translation>%1
请在模型列表中选择其他模型，然后再次点击“预测”。</translation>
    </message>
    <message>
        <source>%1 — %2 — %3 × %4 pixels</source>
        <translation>%1 — %2 — %3 × %4 像素</translation>
    </message>
    <message>
        <source>This computer cannot display %1,
but the server may still diagnose it.</source>
        <translation>本机无法显示 %1，
但服务器仍可能诊断它。</translation>
    </message>
    <message>
        <source>Disconnected: %1</source>
        <translation>已断开连接：%1</translation>
    </message>
    <message>
        <source>&amp;Disconnect</source>
        <translation>断开连接(&amp;D)</translation>
    </message>
    <message>
        <source>Connect to %1:%2 (Ctrl+K)</source>
        <translation>连接到 %1:%2（Ctrl+K）</translation>
    </message>
    <message>
        <source>Stop reconnecting (Ctrl+K)</source>
        <translation>停止重新连接（Ctrl+K）</translation>
    </message>
    <message>
        <source>Say goodbye to the server and disconnect (Ctrl+K)</source>
        <translation>通知服务器后断开连接（Ctrl+K）</translation>
    </message>
    <message>
        <source>%1 images/s</source>
        <translation>%1 张/秒</translation>
    </message>
    <message>
        <source>Export results</source>
        <translation>导出结果</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Cannot write %1:
%2</source>
        <translation>无法写入 %1：
%2</translation>
    </message>
    <message>
        <source>Saved %1 results to %2</source>
        <translation>已将 %1 条结果保存到 %2</translation>
    </message>
    <message>
        <source>Server changed to %1:%2; reconnecting.</source>
        <translation>服务器已改为 %1:%2；正在重新连接。</translation>
    </message>
    <message>
        <source>Saying goodbye to the server…</source>
        <translation>正在通知服务器并断开连接…</translation>
    </message>
    <message>
        <source>Predict</source>
        <translation>预测</translation>
    </message>
    <message>
        <source>Predict All</source>
        <translation>全部预测</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Server address, language and display options</source>
        <translation>服务器地址、语言和显示选项</translation>
    </message>
    <message>
        <source>&amp;Remove Selected</source>
        <translation>移除所选(&amp;R)</translation>
    </message>
    <message>
        <source>Take the selected photos out of the list (Delete); the history keeps their diagnoses</source>
        <translation>将所选照片移出列表（Delete）；历史记录中仍保留它们的诊断</translation>
    </message>
    <message>
        <source>C&amp;lear List</source>
        <translation>清空列表(&amp;L)</translation>
    </message>
    <message>
        <source>Take every photo out of the list (Ctrl+Shift+Delete)</source>
        <translation>将所有照片移出列表（Ctrl+Shift+Delete）</translation>
    </message>
    <message>
        <source>&amp;Clear Recent</source>
        <translation>清除最近记录(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Model Card</source>
        <translation>模型卡片(&amp;M)</translation>
    </message>
    <message>
        <source>What the model that answers Predict was trained on and how well it does (F1)</source>
        <translation>“预测”所用模型的训练数据及其表现（F1）</translation>
    </message>
    <message>
        <source>&amp;About Orchard</source>
        <translation>关于 Orchard(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>Toolbar</source>
        <translation>工具栏</translation>
    </message>
    <message>
        <source>Show &amp;Toolbar</source>
        <translation>显示工具栏(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
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
        <source>&amp;Diagnose</source>
        <translation>诊断(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Results</source>
        <translation>结果(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Plant</source>
        <translation>植株(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;History</source>
        <translation>历史记录(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Log</source>
        <translation>日志(&amp;L)</translation>
    </message>
    <message>
        <source>Results, plant, history and log</source>
        <translation>结果、植株、历史记录和日志</translation>
    </message>
    <message>
        <source>Photos</source>
        <translation>照片</translation>
    </message>
    <message>
        <source>The photos to diagnose, each with its state; Delete takes the selected ones out of the list</source>
        <translation>待诊断的照片及其状态；按 Delete 可将所选照片移出列表</translation>
    </message>
    <message>
        <source>Results table</source>
        <translation>结果表</translation>
    </message>
    <message>
        <source>One row per photo diagnosed: file, diagnosis, confidence, model</source>
        <translation>每张已诊断的照片一行：文件、诊断结果、置信度、模型</translation>
    </message>
    <message>
        <source>Field or plot</source>
        <translation>田块或地块</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>连接状态</translation>
    </message>
    <message>
        <source>Batch progress</source>
        <translation>批次进度</translation>
    </message>
    <message>
        <source>Images per second</source>
        <translation>每秒图像数</translation>
    </message>
    <message>
        <source>Leaf diagnosis — %1:%2</source>
        <translation>叶片诊断 — %1:%2</translation>
    </message>
    <message>
        <source>%1 (folder)</source>
        <translation>%1（文件夹）</translation>
    </message>
    <message>
        <source>No recent photos or folders</source>
        <translation>没有最近打开的照片或文件夹</translation>
    </message>
    <message numerus="yes">
        <source>Removed %n photo(s) from the list; the history keeps their diagnoses.</source>
        <translation>
            <numerusform>已从列表中移除 %n 张照片；历史记录中仍保留它们的诊断。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Cleared the list (%n photo(s)); the history keeps their diagnoses.</source>
        <translation>
            <numerusform>已清空列表（%n 张照片）；历史记录中仍保留它们的诊断。</numerusform>
        </translation>
    </message>
    <message>
        <source>A photo of the plant was taken out of the list. Select its photos and click Diagnose as One Plant again.</source>
        <translation>该植株的一张照片已被移出列表。请选择它的照片，然后再次点击“按同一植株诊断”。</translation>
    </message>
    <message>
        <source>Model Card</source>
        <translation>模型卡片</translation>
    </message>
    <message>
        <source>The server did not send a card for model %1.</source>
        <translation>服务器没有发送模型 %1 的卡片。</translation>
    </message>
    <message>
        <source>Connect to a server to read the cards of the models it serves.</source>
        <translation>连接服务器后即可查看它所提供模型的卡片。</translation>
    </message>
    <message>
        <source>Model Card — %1</source>
        <translation>模型卡片 — %1</translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;%1&lt;/b&gt;, version(s) %2, from %3:%4. It tells apart %n label(s): %5.</source>
        <translation>
            <numerusform>&lt;b&gt;%1&lt;/b&gt;，版本 %2，来自 %3:%4。可区分 %n 个类别：%5。</numerusform>
        </translation>
    </message>
    <message>
        <source>Model card</source>
        <translation>模型卡片</translation>
    </message>
    <message>
        <source>The lab wrote no card for this model.</source>
        <translation>实验室没有为此模型编写卡片。</translation>
    </message>
    <message>
        <source>The server sends the first %1 characters of a card; the whole card is the model&apos;s README.md on the server.</source>
        <translation>服务器只发送卡片的前 %1 个字符；完整的卡片是服务器上该模型的 README.md。</translation>
    </message>
    <message>
        <source>&lt;p&gt;Connected to %1 at %2:%3.&lt;/p&gt;</source>
        <translation>&lt;p&gt;已连接到 %2:%3 上的 %1。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>About Orchard</source>
        <translation>关于 Orchard</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Orchard %1&lt;/h3&gt;&lt;p&gt;Diagnoses leaf photos with the models an Orchard server serves.&lt;/p&gt;&lt;p&gt;Qt %2 (built with %3)&lt;br&gt;OpenCV %4&lt;br&gt;LibTorch %5, on the server: the models run there, not on this computer&lt;/p&gt;%6</source>
        <translation>&lt;h3&gt;Orchard %1&lt;/h3&gt;&lt;p&gt;使用 Orchard 服务器提供的模型诊断叶片照片。&lt;/p&gt;&lt;p&gt;Qt %2（构建时为 %3）&lt;br&gt;OpenCV %4&lt;br&gt;LibTorch %5，位于服务器：模型在服务器上运行，而不是在本机&lt;/p&gt;%6</translation>
    </message>
</context>
<context>
    <name>orchard::ModelChoice</name>
    <message>
        <source>, the server&apos;s default model</source>
        <translation>，服务器的默认模型</translation>
    </message>
    <message>
        <source>%1&lt;br&gt;This server offers no other model.</source>
        <translation>%1&lt;br&gt;此服务器不提供其他模型。</translation>
    </message>
    <message>
        <source>&lt;br&gt;Versions: %1 (latest first)</source>
        <translation>&lt;br&gt;版本：%1（最新的在前）</translation>
    </message>
    <message>
        <source>%1&lt;br&gt;The server sent no description of this model.</source>
        <translation>%1&lt;br&gt;服务器没有提供此模型的说明。</translation>
    </message>
    <message>
        <source>%1, version %2</source>
        <translation>%1，版本 %2</translation>
    </message>
    <message>
        <source>%1, latest version</source>
        <translation>%1，最新版本</translation>
    </message>
</context>
<context>
    <name>orchard::ModelPicker</name>
    <message>
        <source>&amp;Model:</source>
        <translation>模型(&amp;M)：</translation>
    </message>
    <message>
        <source>not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <source>Which version of the model answers: the latest, or one kept for comparison</source>
        <translation>由模型的哪个版本诊断：最新版本，或为对比而保留的版本</translation>
    </message>
    <message>
        <source>The models the server offers are listed once it is connected</source>
        <translation>连接服务器后，这里会列出它提供的模型</translation>
    </message>
    <message>
        <source>%1&lt;hr&gt;Choose the model that diagnoses the photos you send from now on.</source>
        <translation>%1&lt;hr&gt;选择用来诊断之后发送的照片的模型。</translation>
    </message>
    <message>
        <source>latest</source>
        <translation>最新</translation>
    </message>
    <message>
        <source>latest (v%1)</source>
        <translation>最新（v%1）</translation>
    </message>
    <message>
        <source>v%1</source>
        <translation>v%1</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>The model that diagnoses the photos you send</source>
        <translation>诊断您所发送照片的模型</translation>
    </message>
    <message>
        <source>Model version</source>
        <translation>模型版本</translation>
    </message>
</context>
<context>
    <name>orchard::PlantResultPanel</name>
    <message>
        <source>Photos to look at again:</source>
        <translation>需要复查的照片：</translation>
    </message>
    <message>
        <source>Several photos of one plant give a surer diagnosis than one.</source>
        <translation>同一植株的多张照片比单张照片诊断得更可靠。</translation>
    </message>
    <message>
        <source>Select two or more photos of the same plant and click Diagnose as One Plant.</source>
        <translation>选择同一植株的两张或更多照片，然后点击“按同一植株诊断”。</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>Next: %1</source>
        <translation>其次：%1</translation>
    </message>
    <message>
        <source>Every photo has quality warnings: take better ones if you can.</source>
        <translation>每张照片都有质量警告：如有可能，请重新拍摄更好的照片。</translation>
    </message>
    <message>
        <source>No diagnosis</source>
        <translation>无诊断结果</translation>
    </message>
    <message>
        <source>%1 — says %2 (%3)</source>
        <translation>%1 — 判断为 %2（%3）</translation>
    </message>
    <message>
        <source>left out, photo: %1</source>
        <translation>未计入，照片问题：%1</translation>
    </message>
    <message>
        <source>left out, %1</source>
        <translation>未计入，%1</translation>
    </message>
    <message>
        <source>failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>Every photo agrees.</source>
        <translation>所有照片的结果一致。</translation>
    </message>
    <message>
        <source>, </source>
        <comment>between quality warnings</comment>
        <translation>、</translation>
    </message>
    <message>
        <source>Photos to look at again</source>
        <translation>需要复查的照片</translation>
    </message>
    <message>
        <source>The photos that disagree with the plant&apos;s diagnosis or were left out, each with why; activate one to show it</source>
        <translation>与该植株诊断结果不一致或未计入的照片，并附原因；激活其中一张即可查看</translation>
    </message>
    <message numerus="yes">
        <source>One plant, %n photo(s)</source>
        <translation>
            <numerusform>同一植株，%n 张照片</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Diagnosing… %1 of %n photo(s) answered</source>
        <translation>
            <numerusform>正在诊断… 已完成 %1 张，共 %n 张照片</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>One plant, %1 of %n photo(s) combined</source>
        <translation>
            <numerusform>同一植株，合并了 %n 张照片中的 %1 张</numerusform>
        </translation>
    </message>
    <message>
        <source>, </source>
        <comment>between the next labels</comment>
        <translation>、</translation>
    </message>
    <message numerus="yes">
        <source>None of the %n photo(s) could be diagnosed.</source>
        <translation>
            <numerusform>%n 张照片均无法诊断。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>orchard::RequestQueue</name>
    <message>
        <source>The image is %1 MiB to send; the server accepts at most %2 MiB.</source>
        <translation>该图像需发送 %1 MiB；服务器最多接受 %2 MiB。</translation>
    </message>
    <message>
        <source>%1 cannot be sent: %2</source>
        <translation>无法发送 %1：%2</translation>
    </message>
</context>
<context>
    <name>orchard::ResultPanel</name>
    <message>
        <source>The photo looks blurry.</source>
        <translation>照片看起来模糊。</translation>
    </message>
    <message>
        <source>The photo is too dark.</source>
        <translation>照片太暗。</translation>
    </message>
    <message>
        <source>The photo is overexposed: parts of it are pure white.</source>
        <translation>照片曝光过度：部分区域是纯白色。</translation>
    </message>
    <message>
        <source>The photo is smaller than the model&apos;s input.</source>
        <translation>照片尺寸小于模型的输入尺寸。</translation>
    </message>
    <message>
        <source>Photo quality: %1.</source>
        <translation>照片质量：%1。</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>It could be %1.</source>
        <translation>可能是 %1。</translation>
    </message>
    <message>
        <source>It could be %1 or %2.</source>
        <translation>可能是 %1 或 %2。</translation>
    </message>
    <message>
        <source>Diagnosis for %1</source>
        <translation>%1 的诊断结果</translation>
    </message>
    <message>
        <source>this image</source>
        <translation>此图像</translation>
    </message>
    <message>
        <source>%1: softmax probability %2</source>
        <translation>%1：softmax 概率 %2</translation>
    </message>
    <message>
        <source>Answered by model %1, version %2.</source>
        <translation>由模型 %1（版本 %2）诊断。</translation>
    </message>
    <message>
        <source>Answered by model %1.</source>
        <translation>由模型 %1 诊断。</translation>
    </message>
    <message>
        <source>Server: waited %1 ms, decode %2 ms, infer %3 ms, total %4 ms. Round trip %5 ms.</source>
        <translation>服务器：等待 %1 毫秒，解码 %2 毫秒，推理 %3 毫秒，共 %4 毫秒。往返 %5 毫秒。</translation>
    </message>
    <message>
        <source>&lt;b&gt;What to do&lt;/b&gt;&lt;br&gt;%1</source>
        <translation>&lt;b&gt;处理建议&lt;/b&gt;&lt;br&gt;%1</translation>
    </message>
    <message>
        <source>Not sure</source>
        <translation>不确定</translation>
    </message>
    <message>
        <source>Take the photo closer, in daylight, or add more leaves of the plant.</source>
        <translation>请在白天光线下靠近拍摄，或多拍几片该植株的叶片。</translation>
    </message>
    <message>
        <source>Waiting…</source>
        <translation>等待中…</translation>
    </message>
    <message>
        <source>The image is with the server.</source>
        <translation>服务器正在处理该图像。</translation>
    </message>
    <message>
        <source>No diagnosis</source>
        <translation>无诊断结果</translation>
    </message>
    <message>
        <source>Diagnosis</source>
        <translation>诊断结果</translation>
    </message>
    <message>
        <source>Select an image and click Predict (Ctrl+P).</source>
        <translation>请选择一张图像，然后点击“预测”（Ctrl+P）。</translation>
    </message>
    <message>
        <source>, </source>
        <comment>between candidates</comment>
        <translation>、</translation>
    </message>
    <message>
        <source>The diagnosis of the selected image, its top answers and what to do</source>
        <translation>所选图像的诊断结果、最可能的几个结果以及处理建议</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>%1 confident</source>
        <translation>置信度 %1</translation>
    </message>
</context>
<context>
    <name>orchard::ResultsTableModel</name>
    <message>
        <source>%1 v%2</source>
        <translation>%1 v%2</translation>
    </message>
    <message>
        <source>error: %1</source>
        <translation>错误：%1</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Diagnosis</source>
        <translation>诊断结果</translation>
    </message>
    <message>
        <source>Confidence</source>
        <translation>置信度</translation>
    </message>
    <message>
        <source>ms</source>
        <translation>耗时 (ms)</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>%1, failed: %2</source>
        <translation>%1，失败：%2</translation>
    </message>
</context>
<context>
    <name>orchard::ServerConnection</name>
    <message>
        <source>The server sent data Orchard cannot read (%1). Is this an Orchard server?</source>
        <translation>服务器发送了 Orchard 无法识别的数据（%1）。这是 Orchard 服务器吗？</translation>
    </message>
    <message>
        <source>The server&apos;s certificate is not trusted yet (SHA-256 %1). Check the fingerprint with the server&apos;s administrator before trusting it.</source>
        <translation>尚未信任服务器的证书（SHA-256 %1）。信任之前，请先与服务器管理员核对指纹。</translation>
    </message>
    <message>
        <source>WARNING: the server&apos;s certificate has changed (SHA-256 %1, expected %2). Someone may be impersonating the server. If its administrator replaced the certificate, forget the old fingerprint in Settings and connect again.</source>
        <translation>警告：服务器的证书已更改（SHA-256 %1，应为 %2）。可能有人在冒充该服务器。如果是服务器管理员更换了证书，请在“设置”中清除旧指纹，然后重新连接。</translation>
    </message>
    <message>
        <source>Disconnected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <source>Reconnecting to %1:%2 (attempt %3 of %4)…</source>
        <translation>正在重新连接 %1:%2（第 %3 次，共 %4 次）…</translation>
    </message>
    <message>
        <source>Connecting to %1:%2…</source>
        <translation>正在连接 %1:%2…</translation>
    </message>
    <message>
        <source>Waiting for a free server worker (position %1 of %2)</source>
        <translation>正在等待空闲的服务器工作线程（第 %1 位，共 %2 位）</translation>
    </message>
    <message>
        <source>Connected to %1 at %2:%3</source>
        <translation>已连接到 %2:%3 上的 %1</translation>
    </message>
    <message>
        <source>Disconnecting…</source>
        <translation>正在断开连接…</translation>
    </message>
    <message>
        <source>Connection lost — reconnecting (attempt %1 of %2) in %3 s…</source>
        <translation>连接已断开 — %3 秒后重新连接（第 %1 次，共 %2 次）…</translation>
    </message>
    <message>
        <source>The server reported an error it did not explain.</source>
        <translation>服务器报告了一个错误，但没有说明原因。</translation>
    </message>
    <message>
        <source>The server refused the access token: %1 Check it in Settings.</source>
        <translation>服务器拒绝了访问令牌：%1 请在“设置”中检查。</translation>
    </message>
    <message>
        <source>The server at %1:%2 needs an access token; ask its administrator for one and enter it in Settings.</source>
        <translation>位于 %1:%2 的服务器需要访问令牌；请向服务器管理员索取，并在“设置”中填写。</translation>
    </message>
    <message>
        <source>The server is shutting down.</source>
        <translation>服务器正在关闭。</translation>
    </message>
    <message>
        <source>The secure connection to %1:%2 failed: %3.</source>
        <translation>与 %1:%2 的安全连接失败：%3。</translation>
    </message>
    <message>
        <source>Cannot reach the server at %1:%2: %3.</source>
        <translation>无法连接到位于 %1:%2 的服务器：%3。</translation>
    </message>
    <message>
        <source>The connection to the server was lost: %1.</source>
        <translation>与服务器的连接已断开：%1。</translation>
    </message>
    <message>
        <source>The server closed the connection.</source>
        <translation>服务器关闭了连接。</translation>
    </message>
    <message>
        <source>Connected to %1 at %2:%3 (TLS)</source>
        <translation>已连接到 %2:%3 上的 %1（TLS）</translation>
    </message>
    <message>
        <source>%1 as %2</source>
        <comment>connected to a server as the label its token names</comment>
        <translation>%1，身份：%2</translation>
    </message>
    <message numerus="yes">
        <source>%1, %n models (default %2)</source>
        <translation>
            <numerusform>%1，%n 个模型（默认 %2）</numerusform>
        </translation>
    </message>
    <message>
        <source>%1, model %2</source>
        <translation>%1，模型 %2</translation>
    </message>
    <message numerus="yes">
        <source>Gave up reconnecting to %1:%2 after %n attempt(s). %3</source>
        <translation>
            <numerusform>已尝试 %n 次，放弃重新连接 %1:%2。%3</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>orchard::SettingsDialog</name>
    <message>
        <source>Orchard settings</source>
        <translation>Orchard 设置</translation>
    </message>
    <message>
        <source>The Orchard server&apos;s name or address, e.g. 192.168.1.20 or orchard.farm.local</source>
        <translation>Orchard 服务器的名称或地址，例如 192.168.1.20 或 orchard.farm.local</translation>
    </message>
    <message>
        <source>The server&apos;s TCP port (Orchard&apos;s default is 5050)</source>
        <translation>服务器的 TCP 端口（Orchard 默认为 5050）</translation>
    </message>
    <message>
        <source>only if the server asks for one</source>
        <translation>仅在服务器要求时填写</translation>
    </message>
    <message>
        <source>The access token the server&apos;s administrator gave you</source>
        <translation>服务器管理员提供给您的访问令牌</translation>
    </message>
    <message>
        <source>Secure connection (TLS)</source>
        <translation>安全连接（TLS）</translation>
    </message>
    <message>
        <source>Encrypt everything sent to the server; the server must be started with --tls-cert</source>
        <translation>加密发送到服务器的所有内容；服务器必须使用 --tls-cert 启动</translation>
    </message>
    <message>
        <source>optional: the CA certificate (PEM) that signed the server&apos;s</source>
        <translation>可选：签发服务器证书的 CA 证书（PEM）</translation>
    </message>
    <message>
        <source>set when you first trust the server</source>
        <translation>首次信任服务器时自动填写</translation>
    </message>
    <message>
        <source>The server certificate&apos;s SHA-256 fingerprint. Clear it only if the administrator says the certificate was replaced.</source>
        <translation>服务器证书的 SHA-256 指纹。仅当管理员说明证书已更换时才清除它。</translation>
    </message>
    <message>
        <source>How many likely diagnoses to show for each image</source>
        <translation>每张图像显示几个可能的诊断结果</translation>
    </message>
    <message>
        <source>Connect when Orchard starts</source>
        <translation>Orchard 启动时自动连接</translation>
    </message>
    <message>
        <source>Send original photos, not smaller copies</source>
        <translation>发送原始照片，而不是缩小的副本</translation>
    </message>
    <message>
        <source>Orchard normally sends each photo at twice the size the model looks at, which uploads much faster. Tick this if the lab wants the full photos.</source>
        <translation>Orchard 通常按模型输入尺寸的两倍发送每张照片，上传要快得多。如果实验室需要完整的照片，请勾选此项。</translation>
    </message>
    <message>
        <source>Server &amp;address:</source>
        <translation>服务器地址(&amp;A)：</translation>
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation>端口(&amp;P)：</translation>
    </message>
    <message>
        <source>Access &amp;token:</source>
        <translation>访问令牌(&amp;T)：</translation>
    </message>
    <message>
        <source>&amp;CA certificate:</source>
        <translation>CA 证书(&amp;C)：</translation>
    </message>
    <message>
        <source>Trusted &amp;fingerprint:</source>
        <translation>受信任的指纹(&amp;F)：</translation>
    </message>
    <message>
        <source>&amp;Labels to show:</source>
        <translation>显示的类别数(&amp;L)：</translation>
    </message>
    <message>
        <source>Please enter the server&apos;s address.</source>
        <translation>请输入服务器地址。</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <source>Server port</source>
        <translation>服务器端口</translation>
    </message>
    <message>
        <source>Access token</source>
        <translation>访问令牌</translation>
    </message>
    <message>
        <source>&amp;Store the token in the settings file (readable by anyone with access to this account)</source>
        <translation>将令牌保存在设置文件中(&amp;S)（能使用此帐户的任何人都能读取）</translation>
    </message>
    <message>
        <source>Only if this computer has no keychain and you do not want to enter the token at every start: the settings file is plain text.</source>
        <translation>仅当本机没有密钥环、而您又不想每次启动都输入令牌时使用：设置文件是明文。</translation>
    </message>
    <message>
        <source>Store the token in the settings file</source>
        <translation>将令牌保存在设置文件中</translation>
    </message>
    <message>
        <source>Anyone with access to this account can read the settings file.</source>
        <translation>能使用此帐户的任何人都能读取设置文件。</translation>
    </message>
    <message>
        <source>The file of the certificate authority that signed the server&apos;s certificate, if the administrator gave you one</source>
        <translation>签发服务器证书的证书颁发机构（CA）的证书文件（如果管理员提供了的话）</translation>
    </message>
    <message>
        <source>CA certificate file</source>
        <translation>CA 证书文件</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <source>Choose the CA certificate file</source>
        <translation>选择 CA 证书文件</translation>
    </message>
    <message>
        <source>Trusted fingerprint</source>
        <translation>受信任的指纹</translation>
    </message>
    <message>
        <source>Labels to show</source>
        <translation>显示的类别数</translation>
    </message>
    <message>
        <source>La&amp;nguage:</source>
        <translation>语言(&amp;N)：</translation>
    </message>
    <message>
        <source>As the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>The language of Orchard&apos;s windows, used as soon as you press OK</source>
        <translation>Orchard 窗口使用的语言，按“确定”后立即生效</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Send original photos</source>
        <translation>发送原始照片</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>确定</translation>
    </message>
    <message>
        <source>Save these settings and close</source>
        <translation>保存这些设置并关闭</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Close without saving</source>
        <translation>不保存并关闭</translation>
    </message>
    <message>
        <source>The token is stored in the settings file, readable by anyone with access to this account.</source>
        <translation>令牌保存在设置文件中，能使用此帐户的任何人都能读取。</translation>
    </message>
    <message>
        <source>No keychain service is available on this computer (%1), so the token is stored in the settings file, readable by anyone with access to this account.</source>
        <translation>本机没有可用的密钥环服务（%1），因此令牌保存在设置文件中，能使用此帐户的任何人都能读取。</translation>
    </message>
    <message>
        <source>A token you enter is stored in the system keychain.</source>
        <translation>您输入的令牌将保存在系统密钥环中。</translation>
    </message>
    <message>
        <source>Stored in the system keychain.</source>
        <translation>已保存在系统密钥环中。</translation>
    </message>
    <message>
        <source>No keychain service is available on this computer (%1): the token is kept for this session only.</source>
        <translation>本机没有可用的密钥环服务（%1）：令牌仅在本次运行期间保留。</translation>
    </message>
    <message>
        <source>Choose the CA certificate</source>
        <translation>选择 CA 证书</translation>
    </message>
    <message>
        <source>Certificates (*.pem *.crt *.cer)</source>
        <translation>证书 (*.pem *.crt *.cer)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
</context>
</TS>
