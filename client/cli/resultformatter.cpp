#include "client/cli/resultformatter.h"

#include <algorithm>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace orchard {

namespace {

const QString kFileTitle = QStringLiteral("FILE");
const QString kLabelTitle = QStringLiteral("LABEL");
const QString kConfidenceTitle = QStringLiteral("CONFIDENCE");
const QString kModelTitle = QStringLiteral("MODEL");

int widest(int width, const QStringList &texts)
{
    for (const QString &text : texts)
        width = std::max<int>(width, text.size());
    return width;
}

QString compact(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

} // namespace

ResultFormatter::ResultFormatter(Style style, Origin origin)
    : m_style(style)
    , m_origin(origin)
    , m_fileWidth(kFileTitle.size())
    , m_labelWidth(kLabelTitle.size())
{ }

void ResultFormatter::fitFiles(const QStringList &files)
{
    m_fileWidth = widest(m_fileWidth, files);
}

void ResultFormatter::fitLabels(const QStringList &labels)
{
    m_labelWidth = widest(m_labelWidth, labels);
}

QString ResultFormatter::timeTitle() const
{
    return m_origin == Origin::Server ? QStringLiteral("SERVER MS") : QStringLiteral("MS");
}

int ResultFormatter::timeWidth() const
{
    return std::max<int>(8, timeTitle().size());
}

QString ResultFormatter::modelText(const QString &model, std::optional<qint64> version)
{
    return version ? QStringLiteral("%1:%2").arg(model).arg(*version) : model;
}

QString ResultFormatter::headerLine() const
{
    if (isJson())
        return {};
    QString line = kFileTitle.leftJustified(m_fileWidth) + QStringLiteral("  ")
            + kLabelTitle.leftJustified(m_labelWidth) + QStringLiteral("  ") + kConfidenceTitle.rightJustified(10)
            + QStringLiteral("  ") + timeTitle().rightJustified(timeWidth());
    // The last column, so it needs no width: a model's name may be long.
    if (m_origin == Origin::Server)
        line += QStringLiteral("  ") + kModelTitle;
    return line;
}

QString ResultFormatter::resultLine(const QString &file, const PredictionReply &reply, int topK) const
{
    if (!isJson()) {
        QString line = file.leftJustified(m_fileWidth) + QStringLiteral("  ")
                + reply.label.leftJustified(m_labelWidth) + QStringLiteral("  ")
                + (QString::number(reply.confidence * 100.0, 'f', 1) + QStringLiteral(" %")).rightJustified(10)
                + QStringLiteral("  ") + QString::number(reply.timing.total, 'f', 1).rightJustified(timeWidth());
        if (m_origin == Origin::Server)
            line += QStringLiteral("  ") + (reply.model.isEmpty() ? QStringLiteral("-")
                                                                  : modelText(reply.model, reply.modelVersion));
        return line + notes(reply);
    }
    QJsonArray labels;
    for (int i = 0; i < std::min<int>(topK, reply.topK.size()); ++i) {
        const LabelScore &score = reply.topK.at(i);
        labels.append(QJsonObject { { QStringLiteral("label"), score.label },
                                    { QStringLiteral("index"), score.index },
                                    { QStringLiteral("score"), score.score } });
    }
    QJsonObject timing {
        { QStringLiteral("decode"), reply.timing.decode },
        { QStringLiteral("preprocess"), reply.timing.preprocess },
        { QStringLiteral("infer"), reply.timing.infer },
        { QStringLiteral("total"), reply.timing.total },
    };
    if (m_origin == Origin::Server) // only a server has a line to wait in
        timing.insert(QStringLiteral("wait"), reply.timing.wait);
    QJsonObject line {
            { QStringLiteral("file"), file },
            { QStringLiteral("label"), reply.label },
            { QStringLiteral("index"), reply.index },
            { QStringLiteral("confidence"), reply.confidence },
            { QStringLiteral("top_k"), labels },
            { QStringLiteral("timing_ms"), timing },
    };
    // The keys of the wire's SERVER_PREDICTION; left out when the answer did not say.
    if (!reply.model.isEmpty())
        line.insert(QStringLiteral("model"), reply.model);
    if (reply.modelVersion)
        line.insert(QStringLiteral("model_version"), *reply.modelVersion);
    line.insert(QStringLiteral("uncertain"), reply.uncertain);
    if (reply.detections) {
        // A pipeline's answer, as the wire spells it: one object per thing found.
        const QJsonObject wire = reply.toJson();
        line.insert(QStringLiteral("detections"), wire.value(QStringLiteral("detections")));
        if (reply.droppedDetections > 0)
            line.insert(QStringLiteral("detections_dropped"), reply.droppedDetections);
        if (reply.timing.detect)
            timing.insert(QStringLiteral("detect"), *reply.timing.detect);
        if (reply.timing.classify)
            timing.insert(QStringLiteral("classify"), *reply.timing.classify);
        line.insert(QStringLiteral("timing_ms"), timing);
    }
    if (reply.quality)
        line.insert(QStringLiteral("quality"),
                    QJsonObject { { QStringLiteral("sharpness"), reply.quality->sharpness },
                                  { QStringLiteral("brightness"), reply.quality->brightness },
                                  { QStringLiteral("warnings"), QJsonArray::fromStringList(reply.quality->warnings) } });
    return compact(line);
}

QString ResultFormatter::notes(const PredictionReply &reply)
{
    QString text;
    if (reply.detections) {
        // Each thing a pipeline found, best first: label, confidence and where it is.
        QStringList found;
        for (const DetectionReport &detection : *reply.detections)
            found.append(QStringLiteral("%1 %2 at %3,%4 %5x%6")
                                 .arg(detection.label)
                                 .arg(detection.confidence, 0, 'f', 3)
                                 .arg(detection.box.x)
                                 .arg(detection.box.y)
                                 .arg(detection.box.width)
                                 .arg(detection.box.height));
        text += QStringLiteral("  (%1 found%2%3)")
                        .arg(reply.detections->size())
                        .arg(found.isEmpty() ? QString() : QStringLiteral(": ") + found.join(QStringLiteral("; ")))
                        .arg(reply.droppedDetections > 0 ? QStringLiteral("; %1 more not classified").arg(reply.droppedDetections)
                                                         : QString());
    }
    if (reply.uncertain)
        text += QStringLiteral("  (not sure)");
    if (reply.quality && !reply.quality->warnings.isEmpty())
        text += QStringLiteral("  (photo: %1)").arg(reply.quality->warnings.join(QStringLiteral(", ")));
    return text;
}

QString ResultFormatter::errorLine(const QString &file, const QString &message, const QString &code) const
{
    if (!isJson())
        return file.leftJustified(m_fileWidth) + QStringLiteral("  error: ") + message;
    return compact({ { QStringLiteral("file"), file },
                     { QStringLiteral("error"), message },
                     { QStringLiteral("code"), code } });
}

} // namespace orchard
