<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>orchard::EventLogModel</name>
    <message>
        <source>on %1 port %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no longer accepting connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all workers busy; waiting at position %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>refused %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hung up while waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>worker assigned after waiting %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>worker assigned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>authenticated as %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2% %3 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>client went offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>worker pool resized to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: not ready for new clients for %2 s while serving the ones here, then shutting down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>warmed up %1 worker thread%2 in %3 ms (slowest thread %4 ms)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1; a warm-up prediction failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>repository</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 version %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>orchard::ModelTableModel</name>
    <message>
        <source>%1 (default)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>loading and warming up; requests go on meanwhile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The last load failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests that name no model get this version of %1, the default model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A version of %1, the default model; requests that name no model get its highest version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mean total milliseconds of the requests this version answered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests this version answered since it was loaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mean ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>orchard::MonitorWindow</name>
    <message>
        <source>A pass never waits for its batch to fill: it takes what is queued
(&lt;b&gt;--batch-delay-us&lt;/b&gt; 0).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A pass waits at most %1 µs for its batch to fill (&lt;b&gt;--batch-delay-us&lt;/b&gt;).</source>
        <translation type="unfinished"></translation>
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
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Orchard server monitor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Throughput and latency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Models</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model: &lt;b&gt;%1&lt;/b&gt; version %2, %3 labels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Worker pool</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%v of %m busy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sessions being served: each holds one worker for as long as it is connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%v waiting (room for %m)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connections waiting for a free worker; past the limit they get BUSY</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change how many sessions are served at once, while running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Busy:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Workers:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--model-control %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 &lt;b&gt;%2&lt;/b&gt;, %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repository</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n loading</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Models (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every version the repository selects: served, loading, or failed to load</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reload models</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Models never change while this server runs: --model-control none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reloading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading and warming up new versions; the served ones answer meanwhile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scan the repository now for new, changed and removed versions (it is also scanned every %1 s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scan the repository for new, changed and removed versions and load them beside the served ones</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reloading models: scanning %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reload failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reload: nothing changed on disk; a version that failed to load is tried again once its files change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reload: nothing changed on disk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reload: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Event log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter: session, peer, event or text (e.g. error, #3, queued)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listening on &lt;b&gt;%1&lt;/b&gt; port &lt;b&gt;%2&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Stopped&lt;/b&gt;: not accepting connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop accepting; tell clients the server is shutting down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listen for clients again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Up %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Served %1 images in %2 sessions, %3 errors.
Latency (last %4): p50 %5 ms, p95 %6 ms.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 thread</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 threads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>one image a pass</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>batches of up to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No predictions yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last %1 s: idle, no forward pass.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last %1 s: average batch %2 images, queue %3 ms.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Inference: %1, %2; %3 queued.
%4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopping: clients are told the server is shutting down…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listening again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot listen: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>orchard::SessionTableModel</name>
    <message>
        <source>left while waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Peer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Since</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mean ms</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>orchard::ThroughputPlot</name>
    <message>
        <source>images/s (bars)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>p95</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>p50 </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>latency (lines): </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>-%1 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>-%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Images per second (bars, left axis) and p50/p95 latency in ms (lines, right axis) over the last %1 minutes</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
