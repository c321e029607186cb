<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>orchard::EventLogModel</name>
    <message>
        <source>listening</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>queued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>busy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>auth</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>prediction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>timeout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>workers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>draining</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>warm-up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
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
        <source>Event</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>orchard::ModelTableModel</name>
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
    <message>
        <source>loading (default)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>loading</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ready (default)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ready: serving; loading: being loaded and warmed up; failed: could not be loaded. (default): what requests that name no model get</source>
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
    <message>
        <source>%1:%2:%3</source>
        <comment>hours:minutes:seconds</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop the server and close the monitor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>As the system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Menu bar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Busy workers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connections waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Workers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every connection: waiting for a worker, served, or closed a moment ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sessions and models</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sessions and models tabs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One row per connection: waiting for a worker, served, or closed a moment ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model versions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One row per model version the repository selects: served, loading, or failed to load</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter the event log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shows only the events whose session, peer, event or text contains what is typed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What happened, newest last: connections, predictions, errors, model loads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About the Orchard server monitor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;Orchard server monitor&lt;/h3&gt;&lt;p&gt;Orchard %1&lt;br&gt;Qt %2&lt;/p&gt;&lt;p&gt;Watches a running Orchard server: its workers, sessions, models, throughput and events.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Model: &lt;b&gt;%1&lt;/b&gt; version %2, %n label(s)</source>
        <translation>
            <numerusform>Model: &lt;b&gt;%1&lt;/b&gt; version %2, %n label</numerusform>
            <numerusform>Model: &lt;b&gt;%1&lt;/b&gt; version %2, %n labels</numerusform>
        </translation>
    </message>
    <message>
        <source>Models given at start-up, %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repository &lt;b&gt;%1&lt;/b&gt;, %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model folder &lt;b&gt;%1&lt;/b&gt;, %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Models (%1 loading, %2 failed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Models (%n loading)</source>
        <translation>
            <numerusform>Models (%n loading)</numerusform>
            <numerusform>Models (%n loading)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Models (%n failed)</source>
        <translation>
            <numerusform>Models (%n failed)</numerusform>
            <numerusform>Models (%n failed)</numerusform>
        </translation>
    </message>
    <message>
        <source>Stop accepting connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start accepting connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Images served: %1, sessions: %2, errors: %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Latency: no images yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Latency of the last %n image(s): p50 %1 ms, p95 %2 ms.</source>
        <translation>
            <numerusform>Latency of the last %n image: p50 %1 ms, p95 %2 ms.</numerusform>
            <numerusform>Latency of the last %n images: p50 %1 ms, p95 %2 ms.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Inference: %n thread(s), one image a pass; %1 queued.</source>
        <translation>
            <numerusform>Inference: %n thread, one image a pass; %1 queued.</numerusform>
            <numerusform>Inference: %n threads, one image a pass; %1 queued.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Inference: %n thread(s), batches of up to %1; %2 queued.</source>
        <translation>
            <numerusform>Inference: %n thread, batches of up to %1; %2 queued.</numerusform>
            <numerusform>Inference: %n threads, batches of up to %1; %2 queued.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>orchard::SessionTableModel</name>
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
    <message>
        <source>Closed: left while waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed: the client went offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The label of the access token the client proved it holds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>waiting: for a free worker; active: being served; closed: gone, shown for a few seconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Place in the line of connections waiting for a worker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When the client connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Images classified for this session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Milliseconds the latest image took, end to end</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mean milliseconds of this session&apos;s images</source>
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
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>p50</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>latency (lines):</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Images per second (bars, left axis) and p50/p95 latency in ms (lines, right axis; p95 dashed) over the last %n minute(s)</source>
        <translation>
            <numerusform>Images per second (bars, left axis) and p50/p95 latency in ms (lines, right axis; p95 dashed) over the last %n minute</numerusform>
            <numerusform>Images per second (bars, left axis) and p50/p95 latency in ms (lines, right axis; p95 dashed) over the last %n minutes</numerusform>
        </translation>
    </message>
    <message>
        <source>Throughput and latency plot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No figures yet: a bar is added every second.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last second: no images served.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Last second: %n image(s) per second, latency p50 %1 ms, p95 %2 ms.</source>
        <translation>
            <numerusform>Last second: %n image per second, latency p50 %1 ms, p95 %2 ms.</numerusform>
            <numerusform>Last second: %n images per second, latency p50 %1 ms, p95 %2 ms.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Highest over the last %1 s: %n image(s) per second.</source>
        <translation>
            <numerusform>Highest over the last %1 s: %n image per second.</numerusform>
            <numerusform>Highest over the last %1 s: %n images per second.</numerusform>
        </translation>
    </message>
</context>
</TS>
