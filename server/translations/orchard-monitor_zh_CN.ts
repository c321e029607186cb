<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>orchard::EventLogModel</name>
    <message>
        <source>listening</source>
        <translation>监听</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>排队</translation>
    </message>
    <message>
        <source>busy</source>
        <translation>繁忙</translation>
    </message>
    <message>
        <source>left</source>
        <translation>离开</translation>
    </message>
    <message>
        <source>started</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>auth</source>
        <translation>认证</translation>
    </message>
    <message>
        <source>prediction</source>
        <translation>预测</translation>
    </message>
    <message>
        <source>timeout</source>
        <translation>超时</translation>
    </message>
    <message>
        <source>error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>workers</source>
        <translation>工作线程</translation>
    </message>
    <message>
        <source>draining</source>
        <translation>排空</translation>
    </message>
    <message>
        <source>warm-up</source>
        <translation>预热</translation>
    </message>
    <message>
        <source>model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>reload</source>
        <translation>重新加载</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Session</source>
        <translation>会话</translation>
    </message>
    <message>
        <source>Peer</source>
        <translation>对端</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
</context>
<context>
    <name>orchard::ModelTableModel</name>
    <message>
        <source>loading and warming up; requests go on meanwhile</source>
        <translation>正在加载和预热；期间照常处理请求</translation>
    </message>
    <message>
        <source>The last load failed: %1</source>
        <translation>上次加载失败：%1</translation>
    </message>
    <message>
        <source>Requests that name no model get this version of %1, the default model</source>
        <translation>未指定模型的请求由默认模型 %1 的这个版本处理</translation>
    </message>
    <message>
        <source>A version of %1, the default model; requests that name no model get its highest version</source>
        <translation>默认模型 %1 的一个版本；未指定模型的请求由其最高版本处理</translation>
    </message>
    <message>
        <source>Mean total milliseconds of the requests this version answered</source>
        <translation>此版本处理的请求的平均总耗时（毫秒）</translation>
    </message>
    <message>
        <source>Requests this version answered since it was loaded</source>
        <translation>此版本自加载以来处理的请求数</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>请求数</translation>
    </message>
    <message>
        <source>Mean ms</source>
        <translation>平均耗时 (ms)</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>loading (default)</source>
        <translation>加载中（默认）</translation>
    </message>
    <message>
        <source>loading</source>
        <translation>加载中</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>加载失败</translation>
    </message>
    <message>
        <source>ready (default)</source>
        <translation>就绪（默认）</translation>
    </message>
    <message>
        <source>ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>ready: serving; loading: being loaded and warmed up; failed: could not be loaded. (default): what requests that name no model get</source>
        <translation>就绪：正在服务；加载中：正在加载和预热；加载失败：无法加载。（默认）：未指定模型的请求由它处理</translation>
    </message>
</context>
<context>
    <name>orchard::MonitorWindow</name>
    <message>
        <source>A pass never waits for its batch to fill: it takes what is queued
(&lt;b&gt;--batch-delay-us&lt;/b&gt; 0).</source>
        <translation>每次前向计算都不等批次凑满：有多少排队的图像就取多少
（&lt;b&gt;--batch-delay-us&lt;/b&gt; 0）。</translation>
    </message>
    <message>
        <source>A pass waits at most %1 µs for its batch to fill (&lt;b&gt;--batch-delay-us&lt;/b&gt;).</source>
        <translation>每次前向计算最多等待 %1 微秒让批次凑满（&lt;b&gt;--batch-delay-us&lt;/b&gt;）。</translation>
    </message>
    <message>
        <source>&lt;p style=&quot;white-space:pre&quot;&gt;Sessions decode and preprocess images on their workers, then queue them
for the inference threads (&lt;b&gt;--inference-threads&lt;/b&gt;, %1 here).
Each thread runs one forward pass over a &lt;i&gt;batch&lt;/i&gt;: the oldest queued image
with the others queued for the same model version, up to %2 in all
(&lt;b&gt;--max-batch&lt;/b&gt;, or a model&apos;s max_batch_size in config.json).
%3&lt;/p&gt;&lt;p style=&quot;white-space:pre&quot;&gt;&lt;b&gt;Average batch&lt;/b&gt;: images per forward pass over the last %4 s.
&lt;b&gt;Queue&lt;/b&gt;: how long a preprocessed image waited for an inference thread,
on average over the last %4 s.
&lt;b&gt;Queued&lt;/b&gt;: images waiting for an inference thread now.&lt;/p&gt;</source>
        <translation>&lt;p style=&quot;white-space:pre&quot;&gt;各会话在自己的工作线程上解码和预处理图像，然后排队
交给推理线程（&lt;b&gt;--inference-threads&lt;/b&gt;，此处为 %1 个）。
每个线程对一个&lt;i&gt;批次&lt;/i&gt;做一次前向计算：最早排队的图像
加上为同一模型版本排队的其他图像，总共最多 %2 张
（&lt;b&gt;--max-batch&lt;/b&gt;，或模型 config.json 中的 max_batch_size）。
%3&lt;/p&gt;&lt;p style=&quot;white-space:pre&quot;&gt;&lt;b&gt;平均批大小&lt;/b&gt;：最近 %4 秒内每次前向计算的图像数。
&lt;b&gt;排队&lt;/b&gt;：预处理后的图像等待推理线程的时间，
取最近 %4 秒的平均值。
&lt;b&gt;排队中&lt;/b&gt;：当前等待推理线程的图像数。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Orchard server monitor</source>
        <translation>Orchard 服务器监控</translation>
    </message>
    <message>
        <source>Throughput and latency</source>
        <translation>吞吐量与延迟</translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation>会话</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Worker pool</source>
        <translation>工作线程池</translation>
    </message>
    <message>
        <source>%v of %m busy</source>
        <translation>忙碌 %v / %m</translation>
    </message>
    <message>
        <source>Sessions being served: each holds one worker for as long as it is connected</source>
        <translation>正在服务的会话：每个会话在连接期间占用一个工作线程</translation>
    </message>
    <message>
        <source>%v waiting (room for %m)</source>
        <translation>等待中 %v（最多 %m）</translation>
    </message>
    <message>
        <source>Connections waiting for a free worker; past the limit they get BUSY</source>
        <translation>等待空闲工作线程的连接；超过上限的连接会收到 BUSY</translation>
    </message>
    <message>
        <source>Change how many sessions are served at once, while running</source>
        <translation>在运行时调整可同时服务的会话数</translation>
    </message>
    <message>
        <source>Busy:</source>
        <translation>忙碌：</translation>
    </message>
    <message>
        <source>Waiting:</source>
        <translation>等待：</translation>
    </message>
    <message>
        <source>Workers:</source>
        <translation>工作线程：</translation>
    </message>
    <message>
        <source>Every version the repository selects: served, loading, or failed to load</source>
        <translation>模型仓库选定的所有版本：正在服务、正在加载或加载失败</translation>
    </message>
    <message>
        <source>Reload models</source>
        <translation>重新加载模型</translation>
    </message>
    <message>
        <source>Models never change while this server runs: --model-control none</source>
        <translation>此服务器运行期间模型不会变化：--model-control none</translation>
    </message>
    <message>
        <source>Reloading…</source>
        <translation>正在重新加载…</translation>
    </message>
    <message>
        <source>Loading and warming up new versions; the served ones answer meanwhile</source>
        <translation>正在加载和预热新版本；期间由当前服务的版本响应</translation>
    </message>
    <message>
        <source>Scan the repository now for new, changed and removed versions (it is also scanned every %1 s)</source>
        <translation>立即扫描模型仓库中新增、更改和删除的版本（也会每 %1 秒自动扫描一次）</translation>
    </message>
    <message>
        <source>Scan the repository for new, changed and removed versions and load them beside the served ones</source>
        <translation>扫描模型仓库中新增、更改和删除的版本，并在当前服务的版本之外加载它们</translation>
    </message>
    <message>
        <source>Reloading models: scanning %1…</source>
        <translation>正在重新加载模型：扫描 %1…</translation>
    </message>
    <message>
        <source>Reload failed: %1</source>
        <translation>重新加载失败：%1</translation>
    </message>
    <message>
        <source>Reload: nothing changed on disk; a version that failed to load is tried again once its files change</source>
        <translation>重新加载：磁盘上没有变化；加载失败的版本会在其文件变化后重试</translation>
    </message>
    <message>
        <source>Reload: nothing changed on disk</source>
        <translation>重新加载：磁盘上没有变化</translation>
    </message>
    <message>
        <source>Reload: %1</source>
        <translation>重新加载：%1</translation>
    </message>
    <message>
        <source>Event log</source>
        <translation>事件日志</translation>
    </message>
    <message>
        <source>Filter: session, peer, event or text (e.g. error, #3, queued)</source>
        <translation>筛选：会话、对端、事件或文本（例如 error、#3、queued）</translation>
    </message>
    <message>
        <source>Listening on &lt;b&gt;%1&lt;/b&gt; port &lt;b&gt;%2&lt;/b&gt;</source>
        <translation>正在监听 &lt;b&gt;%1&lt;/b&gt; 端口 &lt;b&gt;%2&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Stopped&lt;/b&gt;: not accepting connections</source>
        <translation>&lt;b&gt;已停止&lt;/b&gt;：不接受连接</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>启动</translation>
    </message>
    <message>
        <source>Stop accepting; tell clients the server is shutting down</source>
        <translation>停止接受连接；通知客户端服务器正在关闭</translation>
    </message>
    <message>
        <source>Listen for clients again</source>
        <translation>重新开始监听客户端连接</translation>
    </message>
    <message>
        <source>Up %1</source>
        <translation>已运行 %1</translation>
    </message>
    <message>
        <source>No predictions yet.</source>
        <translation>尚无预测。</translation>
    </message>
    <message>
        <source>Last %1 s: idle, no forward pass.</source>
        <translation>最近 %1 秒：空闲，没有前向计算。</translation>
    </message>
    <message>
        <source>Last %1 s: average batch %2 images, queue %3 ms.</source>
        <translation>最近 %1 秒：平均批大小 %2 张，排队 %3 毫秒。</translation>
    </message>
    <message>
        <source>Stopping: clients are told the server is shutting down…</source>
        <translation>正在停止：正在通知客户端服务器即将关闭…</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Listening again</source>
        <translation>已重新开始监听</translation>
    </message>
    <message>
        <source>Cannot listen: %1</source>
        <translation>无法监听：%1</translation>
    </message>
    <message>
        <source>%1:%2:%3</source>
        <comment>hours:minutes:seconds</comment>
        <translation>%1:%2:%3</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>Stop the server and close the monitor</source>
        <translation>停止服务器并关闭监控窗口</translation>
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
        <source>As the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>关于(&amp;A)</translation>
    </message>
    <message>
        <source>Menu bar</source>
        <translation>菜单栏</translation>
    </message>
    <message>
        <source>Busy workers</source>
        <translation>忙碌的工作线程</translation>
    </message>
    <message>
        <source>Connections waiting</source>
        <translation>等待中的连接</translation>
    </message>
    <message>
        <source>Workers</source>
        <translation>工作线程</translation>
    </message>
    <message>
        <source>Every connection: waiting for a worker, served, or closed a moment ago</source>
        <translation>所有连接：正在等待工作线程的、正在服务的，或刚刚关闭的</translation>
    </message>
    <message>
        <source>Sessions and models</source>
        <translation>会话和模型</translation>
    </message>
    <message>
        <source>Sessions and models tabs</source>
        <translation>会话和模型标签页</translation>
    </message>
    <message>
        <source>One row per connection: waiting for a worker, served, or closed a moment ago</source>
        <translation>每个连接一行：正在等待工作线程的、正在服务的，或刚刚关闭的</translation>
    </message>
    <message>
        <source>Model versions</source>
        <translation>模型版本</translation>
    </message>
    <message>
        <source>One row per model version the repository selects: served, loading, or failed to load</source>
        <translation>模型仓库选定的每个模型版本一行：正在服务、正在加载或加载失败</translation>
    </message>
    <message>
        <source>Filter the event log</source>
        <translation>筛选事件日志</translation>
    </message>
    <message>
        <source>Shows only the events whose session, peer, event or text contains what is typed</source>
        <translation>只显示会话、对端、事件或文本中包含所输入内容的事件</translation>
    </message>
    <message>
        <source>What happened, newest last: connections, predictions, errors, model loads</source>
        <translation>发生的事件（最新的在最后）：连接、预测、错误、模型加载</translation>
    </message>
    <message>
        <source>About the Orchard server monitor</source>
        <translation>关于 Orchard 服务器监控</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Orchard server monitor&lt;/h3&gt;&lt;p&gt;Orchard %1&lt;br&gt;Qt %2&lt;/p&gt;&lt;p&gt;Watches a running Orchard server: its workers, sessions, models, throughput and events.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Orchard 服务器监控&lt;/h3&gt;&lt;p&gt;Orchard %1&lt;br&gt;Qt %2&lt;/p&gt;&lt;p&gt;监视正在运行的 Orchard 服务器：工作线程、会话、模型、吞吐量和事件。&lt;/p&gt;</translation>
    </message>
    <message numerus="yes">
        <source>Model: &lt;b&gt;%1&lt;/b&gt; version %2, %n label(s)</source>
        <translation>
            <numerusform>模型：&lt;b&gt;%1&lt;/b&gt; 版本 %2，%n 个类别</numerusform>
        </translation>
    </message>
    <message>
        <source>Models given at start-up, %1</source>
        <translation>启动时指定的模型，%1</translation>
    </message>
    <message>
        <source>Repository &lt;b&gt;%1&lt;/b&gt;, %2</source>
        <translation>模型仓库 &lt;b&gt;%1&lt;/b&gt;，%2</translation>
    </message>
    <message>
        <source>Model folder &lt;b&gt;%1&lt;/b&gt;, %2</source>
        <translation>模型文件夹 &lt;b&gt;%1&lt;/b&gt;，%2</translation>
    </message>
    <message>
        <source>Models (%1 loading, %2 failed)</source>
        <translation>模型（%1 个加载中，%2 个失败）</translation>
    </message>
    <message numerus="yes">
        <source>Models (%n loading)</source>
        <translation>
            <numerusform>模型（%n 个加载中）</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Models (%n failed)</source>
        <translation>
            <numerusform>模型（%n 个失败）</numerusform>
        </translation>
    </message>
    <message>
        <source>Stop accepting connections</source>
        <translation>停止接受连接</translation>
    </message>
    <message>
        <source>Start accepting connections</source>
        <translation>开始接受连接</translation>
    </message>
    <message>
        <source>Images served: %1, sessions: %2, errors: %3.</source>
        <translation>已处理图像：%1，会话：%2，错误：%3。</translation>
    </message>
    <message>
        <source>Latency: no images yet.</source>
        <translation>延迟：尚无图像。</translation>
    </message>
    <message numerus="yes">
        <source>Latency of the last %n image(s): p50 %1 ms, p95 %2 ms.</source>
        <translation>
            <numerusform>最近 %n 张图像的延迟：p50 %1 毫秒，p95 %2 毫秒。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Inference: %n thread(s), one image a pass; %1 queued.</source>
        <translation>
            <numerusform>推理：%n 个线程，每次计算一张图像；排队中 %1 张。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Inference: %n thread(s), batches of up to %1; %2 queued.</source>
        <translation>
            <numerusform>推理：%n 个线程，每批最多 %1 张；排队中 %2 张。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>orchard::SessionTableModel</name>
    <message>
        <source>Closed: %1</source>
        <translation>已关闭：%1</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>active</source>
        <translation>活动</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <source>Session</source>
        <translation>会话</translation>
    </message>
    <message>
        <source>Peer</source>
        <translation>对端</translation>
    </message>
    <message>
        <source>Token</source>
        <translation>令牌</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>排队位置</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>连接时间</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>图像数</translation>
    </message>
    <message>
        <source>Last ms</source>
        <translation>最近耗时 (ms)</translation>
    </message>
    <message>
        <source>Mean ms</source>
        <translation>平均耗时 (ms)</translation>
    </message>
    <message>
        <source>Closed: left while waiting</source>
        <translation>已关闭：等待时离开</translation>
    </message>
    <message>
        <source>Closed: the client went offline</source>
        <translation>已关闭：客户端已离线</translation>
    </message>
    <message>
        <source>The label of the access token the client proved it holds</source>
        <translation>客户端证明其持有的访问令牌的名称</translation>
    </message>
    <message>
        <source>waiting: for a free worker; active: being served; closed: gone, shown for a few seconds</source>
        <translation>等待中：等待空闲工作线程；活动：正在服务；已关闭：已离开，仍显示几秒</translation>
    </message>
    <message>
        <source>Place in the line of connections waiting for a worker</source>
        <translation>在等待工作线程的连接队列中的位置</translation>
    </message>
    <message>
        <source>When the client connected</source>
        <translation>客户端连接的时间</translation>
    </message>
    <message>
        <source>Images classified for this session</source>
        <translation>此会话已分类的图像数</translation>
    </message>
    <message>
        <source>Milliseconds the latest image took, end to end</source>
        <translation>最近一张图像的端到端耗时（毫秒）</translation>
    </message>
    <message>
        <source>Mean milliseconds of this session&apos;s images</source>
        <translation>此会话图像的平均耗时（毫秒）</translation>
    </message>
</context>
<context>
    <name>orchard::ThroughputPlot</name>
    <message>
        <source>images/s (bars)</source>
        <translation>张/秒（柱）</translation>
    </message>
    <message>
        <source>p95</source>
        <translation>p95</translation>
    </message>
    <message>
        <source>-%1 min</source>
        <translation>-%1 分钟</translation>
    </message>
    <message>
        <source>-%1 s</source>
        <translation>-%1 秒</translation>
    </message>
    <message>
        <source>now</source>
        <translation>现在</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>p50</source>
        <translation>p50</translation>
    </message>
    <message>
        <source>latency (lines):</source>
        <translation>延迟（折线）：</translation>
    </message>
    <message numerus="yes">
        <source>Images per second (bars, left axis) and p50/p95 latency in ms (lines, right axis; p95 dashed) over the last %n minute(s)</source>
        <translation>
            <numerusform>最近 %n 分钟内的每秒图像数（柱，左轴）及 p50/p95 延迟毫秒数（折线，右轴；p95 为虚线）</numerusform>
        </translation>
    </message>
    <message>
        <source>Throughput and latency plot</source>
        <translation>吞吐量与延迟图</translation>
    </message>
    <message>
        <source>No figures yet: a bar is added every second.</source>
        <translation>暂无数据：每秒增加一根柱。</translation>
    </message>
    <message>
        <source>Last second: no images served.</source>
        <translation>最近一秒：没有处理图像。</translation>
    </message>
    <message numerus="yes">
        <source>Last second: %n image(s) per second, latency p50 %1 ms, p95 %2 ms.</source>
        <translation>
            <numerusform>最近一秒：每秒 %n 张图像，延迟 p50 %1 毫秒，p95 %2 毫秒。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Highest over the last %1 s: %n image(s) per second.</source>
        <translation>
            <numerusform>最近 %1 秒内最高：每秒 %n 张图像。</numerusform>
        </translation>
    </message>
</context>
</TS>
