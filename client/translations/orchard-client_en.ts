<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>DiagnosisText</name>
    <message>
        <source>Not sure: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>blurry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>dark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>overexposed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>small</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ImageLoader</name>
    <message>
        <source>cannot open the file: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the file is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not an image this computer can display (%1)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PlantDiagnosis</name>
    <message>
        <source>answered by model %1, not %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No photo of the plant could be diagnosed</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n photo(s): %2</source>
        <translation>
            <numerusform>%1 of %n photo: %2</numerusform>
            <numerusform>%1 of %n photos: %2</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TokenStore</name>
    <message>
        <source>neither GNOME Keyring nor KWallet could be reached; the keychain library said: “%1”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the system keychain could not be used; it said: “%1”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the keychain refused access: “%1”</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>the keychain did not answer within %n second(s)</source>
        <translation>
            <numerusform>the keychain did not answer within %n second</numerusform>
            <numerusform>the keychain did not answer within %n seconds</numerusform>
        </translation>
    </message>
    <message>
        <source>the keychain has not answered an earlier question yet</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>orchard::HistoryPanel</name>
    <message>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the selected entries from the history (Del)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the entries shown (as filtered) as a CSV file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only diagnoses made on or after this day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only diagnoses made on or before this day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only diagnoses with this label</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only diagnoses of this field or plot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not sure only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only answers the model was not sure of</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search notes and files…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Label:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tag:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no tag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A note for this diagnosis (what you saw, what you did)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep this tag and note for the entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the Photo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the photo in the image list again, to look at it or diagnose it anew</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any label</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any tag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History is off: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History is off.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The history cannot be read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>—</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select an entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no picture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not sure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 confident</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Top answers: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an unnamed model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>model %1, version %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>model %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1
%2, by %3 (%4).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>orchard-cli</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>desktop client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The photo is no longer at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete from the history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1:
%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From a day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To a day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The first day whose diagnoses are listed, when From is ticked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The last day whose diagnoses are listed, when To is ticked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Label filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tag filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search notes and files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only diagnoses whose note or file name contains these words</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Diagnoses in the history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One row per diagnosis, newest first; Tag and Note can be edited in place, Delete removes the selection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thumbnail of the entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tag of the entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The field or plot this diagnosis belongs to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note of the entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the photo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Confidence</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n diagnosis(es)</source>
        <translation>
            <numerusform>%n diagnosis</numerusform>
            <numerusform>%n diagnoses</numerusform>
        </translation>
    </message>
    <message>
        <source>The photo of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Diagnosed with %n other photo(s) as one plant: %1</source>
        <translation>
            <numerusform>Diagnosed with %n other photo as one plant: %1</numerusform>
            <numerusform>Diagnosed with %n other photos as one plant: %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Delete %n diagnosis(es) from the history? This cannot be undone.</source>
        <translation>
            <numerusform>Delete %n diagnosis from the history? This cannot be undone.</numerusform>
            <numerusform>Delete %n diagnoses from the history? This cannot be undone.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Saved %n diagnosis(es) to %1</source>
        <translation>
            <numerusform>Saved %n diagnosis to %1</numerusform>
            <numerusform>Saved %n diagnoses to %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>orchard::HistoryTableModel</name>
    <message>
        <source>%1 (plant)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Diagnosed as one plant: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Diagnosis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Confidence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warnings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, </source>
        <comment>between quality warnings</comment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>orchard::ImageListModel</name>
    <message>
        <source>%1
waiting for diagnosis…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1
%2 (%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1
error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not diagnosed yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done: %1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1
%2 × %3 pixels, %4
%5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>orchard::ImagePreview</name>
    <message>
        <source>Open leaf photos (Ctrl+O), a folder (Ctrl+Shift+O),
or drop them here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Photo preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n found: %1.</source>
        <translation>
            <numerusform>%n found: %1.</numerusform>
            <numerusform>%n found: %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>orchard::MainWindow</name>
    <message>
        <source>Leaf diagnosis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History is off: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History is off (see the History tab).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All %1 server workers are busy: waiting in line at position %2 of %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server says goodbye: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server error %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server&apos;s certificate has changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;The server at &lt;b&gt;%1:%2&lt;/b&gt; presented a different certificate from the one you trusted, so Orchard did not send it anything.&lt;/p&gt;&lt;p&gt;Presented: &lt;tt&gt;%3&lt;/tt&gt;&lt;br&gt;Trusted: &lt;tt&gt;%4&lt;/tt&gt;&lt;/p&gt;&lt;p&gt;Someone may be impersonating the server. If its administrator replaced the certificate, clear the trusted fingerprint in Settings and connect again.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Batch done: %1 of %2 images diagnosed, %3 failed, %4 images/s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server no longer offers version %1 of model %2, your last choice; its latest version answers instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server does not offer model %1, your last choice; its default model, %2, answers instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model %1 chosen: the photos sent from now on are diagnosed by it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the model asked for</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>model %1, version %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>model %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server does not serve %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> The photo not yet diagnosed was kept back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> The %1 photos not yet diagnosed were kept back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> Choose another model in the list and click Predict again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 v%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The model asked for is not served.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model %1 is not served: choose another.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open Images…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open leaf photos (Ctrl+O)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open &amp;Folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open every photo in a folder (Ctrl+Shift+O)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Predict</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Diagnose the selected image (Ctrl+P)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Predict &amp;All</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Diagnose every image in the list (Ctrl+Shift+P)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Diagnose as One P&amp;lant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One Plant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Combine the selected photos of one plant into one diagnosis (Ctrl+L)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop sending the rest of the batch (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Export CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the results table as a CSV file (Ctrl+E)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not sure: T-shirt/top</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Results</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Plant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reconnect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect to the server again; images not yet diagnosed are sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%v of %m</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting to %1:%2…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No image files there.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot load %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2; it will still be sent to the server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loaded %1 images; %2 could not be read (see the log).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loaded %1 images.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading %1 images…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open leaf photos</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Images (%1);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a folder of leaf photos</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not every photo of the plant was diagnosed (the batch was cancelled). Click Diagnose as One Plant again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One plant — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None of the plant&apos;s photos could be diagnosed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no tag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The field or plot the photos come from: new diagnoses are kept under it in the history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Field/&amp;plot:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not kept in the history: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A diagnosis could not be kept in the history (see the log).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled: %1 images were not diagnosed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 images are kept and will be sent after reconnecting (click Reconnect).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 Reconnecting in %2 s (attempt %3 of %4)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reconnected — re-sending %1 images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reconnected to %1:%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No CA certificate could be read from %1; the server&apos;s fingerprint will be checked instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trust this server?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;The server at &lt;b&gt;%1:%2&lt;/b&gt; presents a certificate this computer has not seen before%3.&lt;/p&gt;&lt;p&gt;SHA-256 fingerprint:&lt;br&gt;&lt;tt&gt;%4&lt;/tt&gt;&lt;/p&gt;&lt;p&gt;Trust it only if the server&apos;s administrator confirms this fingerprint. Orchard will remember it and warn you if it ever changes.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (issued to %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trusting the server&apos;s certificate %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1
Choose another model in the model list and click Predict again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — %2 — %3 × %4 pixels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This computer cannot display %1,
but the server may still diagnose it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disconnected: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Disconnect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect to %1:%2 (Ctrl+K)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop reconnecting (Ctrl+K)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Say goodbye to the server and disconnect (Ctrl+K)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 images/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export results</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1:
%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved %1 results to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server changed to %1:%2; reconnecting.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saying goodbye to the server…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Predict</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Predict All</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server address, language and display options</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove Selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Take the selected photos out of the list (Delete); the history keeps their diagnoses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;lear List</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Take every photo out of the list (Ctrl+Shift+Delete)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Clear Recent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Model Card</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the model that answers Predict was trained on and how well it does (F1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About Orchard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Toolbar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show &amp;Toolbar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Diagnose</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Results</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Plant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Results, plant, history and log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Photos</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The photos to diagnose, each with its state; Delete takes the selected ones out of the list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Results table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One row per photo diagnosed: file, diagnosis, confidence, model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Field or plot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Batch progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Images per second</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leaf diagnosis — %1:%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (folder)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No recent photos or folders</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Removed %n photo(s) from the list; the history keeps their diagnoses.</source>
        <translation>
            <numerusform>Removed %n photo from the list; the history keeps its diagnosis.</numerusform>
            <numerusform>Removed %n photos from the list; the history keeps their diagnoses.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Cleared the list (%n photo(s)); the history keeps their diagnoses.</source>
        <translation>
            <numerusform>Cleared the list (%n photo); the history keeps its diagnosis.</numerusform>
            <numerusform>Cleared the list (%n photos); the history keeps their diagnoses.</numerusform>
        </translation>
    </message>
    <message>
        <source>A photo of the plant was taken out of the list. Select its photos and click Diagnose as One Plant again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model Card</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server did not send a card for model %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect to a server to read the cards of the models it serves.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model Card — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;%1&lt;/b&gt;, version(s) %2, from %3:%4. It tells apart %n label(s): %5.</source>
        <translation>
            <numerusform>&lt;b&gt;%1&lt;/b&gt;, version(s) %2, from %3:%4. It tells apart %n label: %5.</numerusform>
            <numerusform>&lt;b&gt;%1&lt;/b&gt;, version(s) %2, from %3:%4. It tells apart %n labels: %5.</numerusform>
        </translation>
    </message>
    <message>
        <source>Model card</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The lab wrote no card for this model.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server sends the first %1 characters of a card; the whole card is the model&apos;s README.md on the server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;Connected to %1 at %2:%3.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About Orchard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;Orchard %1&lt;/h3&gt;&lt;p&gt;Diagnoses leaf photos with the models an Orchard server serves.&lt;/p&gt;&lt;p&gt;Qt %2 (built with %3)&lt;br&gt;OpenCV %4&lt;br&gt;LibTorch %5, on the server: the models run there, not on this computer&lt;/p&gt;%6</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>orchard::ModelChoice</name>
    <message>
        <source>, the server&apos;s default model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1&lt;br&gt;This server offers no other model.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;br&gt;Versions: %1 (latest first)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1&lt;br&gt;The server sent no description of this model.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, version %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, latest version</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>orchard::ModelPicker</name>
    <message>
        <source>&amp;Model:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which version of the model answers: the latest, or one kept for comparison</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The models the server offers are listed once it is connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1&lt;hr&gt;Choose the model that diagnoses the photos you send from now on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>latest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>latest (v%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>v%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The model that diagnoses the photos you send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model version</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>orchard::PlantResultPanel</name>
    <message>
        <source>Photos to look at again:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Several photos of one plant give a surer diagnosis than one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select two or more photos of the same plant and click Diagnose as One Plant.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every photo has quality warnings: take better ones if you can.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No diagnosis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — says %2 (%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>left out, photo: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>left out, %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every photo agrees.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, </source>
        <comment>between quality warnings</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Photos to look at again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The photos that disagree with the plant&apos;s diagnosis or were left out, each with why; activate one to show it</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>One plant, %n photo(s)</source>
        <translation>
            <numerusform>One plant, %n photo</numerusform>
            <numerusform>One plant, %n photos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Diagnosing… %1 of %n photo(s) answered</source>
        <translation>
            <numerusform>Diagnosing… %1 of %n photo answered</numerusform>
            <numerusform>Diagnosing… %1 of %n photos answered</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>One plant, %1 of %n photo(s) combined</source>
        <translation>
            <numerusform>One plant, %1 of %n photo combined</numerusform>
            <numerusform>One plant, %1 of %n photos combined</numerusform>
        </translation>
    </message>
    <message>
        <source>, </source>
        <comment>between the next labels</comment>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>None of the %n photo(s) could be diagnosed.</source>
        <translation>
            <numerusform>The %n photo could not be diagnosed.</numerusform>
            <numerusform>None of the %n photos could be diagnosed.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>orchard::RequestQueue</name>
    <message>
        <source>The image is %1 MiB to send; the server accepts at most %2 MiB.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 cannot be sent: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>orchard::ResultPanel</name>
    <message>
        <source>The photo looks blurry.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The photo is too dark.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The photo is overexposed: parts of it are pure white.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The photo is smaller than the model&apos;s input.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Photo quality: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It could be %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It could be %1 or %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Diagnosis for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: softmax probability %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answered by model %1, version %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answered by model %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server: waited %1 ms, decode %2 ms, infer %3 ms, total %4 ms. Round trip %5 ms.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;What to do&lt;/b&gt;&lt;br&gt;%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not sure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Take the photo closer, in daylight, or add more leaves of the plant.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The image is with the server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No diagnosis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Diagnosis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select an image and click Predict (Ctrl+P).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, </source>
        <comment>between candidates</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The diagnosis of the selected image, its top answers and what to do</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 confident</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>orchard::ResultsTableModel</name>
    <message>
        <source>%1 v%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>error: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Diagnosis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Confidence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>orchard::ServerConnection</name>
    <message>
        <source>The server sent data Orchard cannot read (%1). Is this an Orchard server?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server&apos;s certificate is not trusted yet (SHA-256 %1). Check the fingerprint with the server&apos;s administrator before trusting it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WARNING: the server&apos;s certificate has changed (SHA-256 %1, expected %2). Someone may be impersonating the server. If its administrator replaced the certificate, forget the old fingerprint in Settings and connect again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disconnected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reconnecting to %1:%2 (attempt %3 of %4)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting to %1:%2…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting for a free server worker (position %1 of %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected to %1 at %2:%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disconnecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection lost — reconnecting (attempt %1 of %2) in %3 s…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server reported an error it did not explain.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server refused the access token: %1 Check it in Settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server at %1:%2 needs an access token; ask its administrator for one and enter it in Settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server is shutting down.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The secure connection to %1:%2 failed: %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot reach the server at %1:%2: %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection to the server was lost: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server closed the connection.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected to %1 at %2:%3 (TLS)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 as %2</source>
        <comment>connected to a server as the label its token names</comment>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1, %n models (default %2)</source>
        <translation>
            <numerusform>%1, %n model (default %2)</numerusform>
            <numerusform>%1, %n models (default %2)</numerusform>
        </translation>
    </message>
    <message>
        <source>%1, model %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Gave up reconnecting to %1:%2 after %n attempt(s). %3</source>
        <translation>
            <numerusform>Gave up reconnecting to %1:%2 after %n attempt. %3</numerusform>
            <numerusform>Gave up reconnecting to %1:%2 after %n attempts. %3</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>orchard::SettingsDialog</name>
    <message>
        <source>Orchard settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Orchard server&apos;s name or address, e.g. 192.168.1.20 or orchard.farm.local</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server&apos;s TCP port (Orchard&apos;s default is 5050)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>only if the server asks for one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The access token the server&apos;s administrator gave you</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Secure connection (TLS)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Encrypt everything sent to the server; the server must be started with --tls-cert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>optional: the CA certificate (PEM) that signed the server&apos;s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set when you first trust the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server certificate&apos;s SHA-256 fingerprint. Clear it only if the administrator says the certificate was replaced.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How many likely diagnoses to show for each image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect when Orchard starts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send original photos, not smaller copies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Orchard normally sends each photo at twice the size the model looks at, which uploads much faster. Tick this if the lab wants the full photos.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server &amp;address:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Access &amp;token:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;CA certificate:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trusted &amp;fingerprint:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Labels to show:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Please enter the server&apos;s address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Access token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Store the token in the settings file (readable by anyone with access to this account)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only if this computer has no keychain and you do not want to enter the token at every start: the settings file is plain text.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Store the token in the settings file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Anyone with access to this account can read the settings file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The file of the certificate authority that signed the server&apos;s certificate, if the administrator gave you one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CA certificate file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the CA certificate file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trusted fingerprint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Labels to show</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>La&amp;nguage:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>As the system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The language of Orchard&apos;s windows, used as soon as you press OK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send original photos</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save these settings and close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close without saving</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The token is stored in the settings file, readable by anyone with access to this account.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No keychain service is available on this computer (%1), so the token is stored in the settings file, readable by anyone with access to this account.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A token you enter is stored in the system keychain.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stored in the system keychain.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No keychain service is available on this computer (%1): the token is kept for this session only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the CA certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Certificates (*.pem *.crt *.cer)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
