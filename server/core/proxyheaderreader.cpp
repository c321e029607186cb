#include "server/core/proxyheaderreader.h"

#include <cerrno>
#include <cstring>

#include <sys/socket.h>
#include <sys/types.h>

#include <QSocketNotifier>
#include <QTimer>

namespace orchard {

namespace {

QString systemError(int error) { return QString::fromLocal8Bit(std::strerror(error)); }

} // namespace

ProxyHeaderReader::ProxyHeaderReader(qintptr descriptor, int timeoutMs, QObject *parent)
    : QObject(parent)
    , m_descriptor(descriptor)
    , m_timeoutMs(timeoutMs)
{ }

ProxyHeaderReader::~ProxyHeaderReader() = default;

void ProxyHeaderReader::start()
{
    if (m_started)
        return;
    m_started = true;
    if (m_descriptor < 0) {
        // Queued, so that finished() never arrives inside start() for any outcome.
        QMetaObject::invokeMethod(
            this,
            [this] {
                finish(Outcome::Closed, {},
                    QStringLiteral("No connection to read a PROXY header from (descriptor %1)")
                        .arg(m_descriptor));
            },
            Qt::QueuedConnection);
        return;
    }
    m_notifier = new QSocketNotifier(m_descriptor, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &ProxyHeaderReader::readAvailable);
    if (m_timeoutMs > 0) {
        m_deadline = new QTimer(this);
        m_deadline->setSingleShot(true);
        connect(m_deadline, &QTimer::timeout, this, [this] {
            finish(Outcome::Timeout, {},
                QStringLiteral("No complete PROXY header arrived within %1 ms (%2 bytes of it did)")
                    .arg(m_timeoutMs)
                    .arg(m_consumed.size()));
        });
        m_deadline->start(m_timeoutMs);
    }
}

qintptr ProxyHeaderReader::descriptor() const { return m_descriptor; }

bool ProxyHeaderReader::isFinished() const { return m_finished; }

qsizetype ProxyHeaderReader::consumedBytes() const { return m_consumed.size(); }

void ProxyHeaderReader::readAvailable()
{
    if (m_finished)
        return;
    // What was consumed is less than kMaxLength (parse() is Invalid or Complete by then),
    // so there is always room to peek at the rest of the longest header.
    char peeked[ProxyHeader::kMaxLength];
    const qsizetype wanted = ProxyHeader::kMaxLength - m_consumed.size();
    if (wanted <= 0) {
        finish(Outcome::Invalid, {},
            QStringLiteral("PROXY header longer than %1 bytes").arg(ProxyHeader::kMaxLength));
        return;
    }
    ssize_t received = 0;
    do {
        received = ::recv(int(m_descriptor), peeked, size_t(wanted), MSG_PEEK | MSG_DONTWAIT);
    } while (received < 0 && errno == EINTR);
    if (received < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return; // woken with nothing to read after all: wait for the next notification
        finish(Outcome::Closed, {},
            QStringLiteral("The connection failed before its PROXY header was complete: %1")
                .arg(systemError(errno)));
        return;
    }
    if (received == 0) {
        finish(Outcome::Closed, {},
            QStringLiteral(
                "The connection was closed after %1 bytes, before its PROXY header was complete")
                .arg(m_consumed.size()));
        return;
    }

    const QByteArrayView arrived(peeked, qsizetype(received));
    // Only the first byte decides Missing: it is seen before anything is consumed, so the
    // answer does not depend on how the bytes were split into packets.
    if (m_consumed.isEmpty() && !ProxyHeader::startsLikeProxyHeader(arrived.first(1))) {
        const ProxyHeader header = ProxyHeader::parse(arrived);
        finish(Outcome::Missing, header, header.error);
        return;
    }
    const QByteArray sofar = m_consumed + arrived.toByteArray();
    const ProxyHeader header = ProxyHeader::parse(sofar);
    QString error;
    switch (header.status) {
    case ProxyHeader::Status::Invalid:
        finish(Outcome::Invalid, header, header.error);
        return;
    case ProxyHeader::Status::Incomplete:
        // All of it is the header's (see ProxyHeader): take it, so the notifier rests.
        if (!consume(arrived.size(), &error))
            finish(Outcome::Closed, header, error);
        return;
    case ProxyHeader::Status::Complete:
        if (header.length < m_consumed.size()) { // parse() promises otherwise; never past it
            finish(Outcome::Invalid, header,
                QStringLiteral("PROXY header ended before bytes already taken as its own"));
            return;
        }
        if (!consume(header.length - m_consumed.size(), &error)) {
            finish(Outcome::Closed, header, error);
            return;
        }
        finish(Outcome::Complete, header, {});
        return;
    }
}

bool ProxyHeaderReader::consume(qsizetype count, QString *error)
{
    char bytes[ProxyHeader::kMaxLength];
    qsizetype left = count;
    while (left > 0) {
        const ssize_t received = ::recv(int(m_descriptor), bytes, size_t(left), MSG_DONTWAIT);
        if (received < 0 && errno == EINTR)
            continue;
        if (received <= 0) {
            // A peek has just shown these bytes, and no one else reads this descriptor.
            *error = received == 0
                ? QStringLiteral("The connection was closed while its PROXY header was being read")
                : QStringLiteral("The connection failed while its PROXY header was being read: %1")
                      .arg(systemError(errno));
            return false;
        }
        m_consumed.append(bytes, qsizetype(received));
        left -= received;
    }
    return true;
}

void ProxyHeaderReader::finish(Outcome outcome, const ProxyHeader &header, const QString &error)
{
    if (m_finished)
        return;
    m_finished = true;
    // Off before anything else: the socket that gets the descriptor next has its own
    // notifier, and Qt allows one per descriptor and type.
    if (m_notifier)
        m_notifier->setEnabled(false);
    if (m_deadline)
        m_deadline->stop();
    emit finished(outcome, header, error);
}

} // namespace orchard
