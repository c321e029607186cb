#include "httpclient.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QList>
#include <QTcpSocket>
#include <QTimer>

namespace orchard::test {

namespace {

/** Parses what arrived so far; true once the head and Content-Length bytes of body are there. */
bool parseReply(const QByteArray &received, HttpReply &reply)
{
    const qsizetype headEnd = received.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return false;
    const QList<QByteArray> lines = received.left(headEnd).split('\n');
    const QList<QByteArray> statusLine = lines.first().trimmed().split(' ');
    if (statusLine.size() < 2 || !statusLine.first().startsWith("HTTP/1."))
        return false;
    reply.status = statusLine.at(1).toInt();
    reply.reason = lines.first().trimmed().mid(statusLine.at(0).size() + statusLine.at(1).size() + 2);
    reply.headers.clear();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines.at(i).indexOf(':');
        if (colon > 0)
            reply.headers.insert(lines.at(i).left(colon).trimmed().toLower(), lines.at(i).mid(colon + 1).trimmed());
    }
    bool ok = false;
    const qsizetype length = reply.headers.value("content-length").toLongLong(&ok);
    if (!ok || received.size() < headEnd + 4 + length)
        return false;
    reply.body = received.mid(headEnd + 4, length);
    return true;
}

} // namespace

HttpReply httpRequest(quint16 port, const QByteArray &method, const QByteArray &path, int timeoutMs,
                      const QByteArray &extraHeaders)
{
    HttpReply reply;
    QTcpSocket socket;
    QByteArray received;
    QEventLoop loop;
    QTimer deadline;
    deadline.setSingleShot(true);
    QObject::connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
    const auto readSoFar = [&] {
        received += socket.readAll();
        reply.complete = parseReply(received, reply);
    };
    QObject::connect(&socket, &QTcpSocket::readyRead, &loop, [&] {
        readSoFar();
        if (reply.complete)
            loop.quit();
    });
    // A closed connection or an error ends the wait, with whatever came before it.
    const auto stop = [&] {
        readSoFar();
        loop.quit();
    };
    QObject::connect(&socket, &QTcpSocket::disconnected, &loop, stop);
    QObject::connect(&socket, &QTcpSocket::errorOccurred, &loop, stop);

    QElapsedTimer timer;
    timer.start();
    socket.connectToHost(QHostAddress::LocalHost, port);
    const QByteArray length = method == "POST" ? QByteArray("Content-Length: 0\r\n") : QByteArray();
    socket.write(method + ' ' + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: orchard-tests\r\n" + length
                 + extraHeaders + "\r\n");
    deadline.start(timeoutMs);
    loop.exec();
    reply.elapsedMs = timer.nsecsElapsed() / 1e6;
    return reply;
}

std::optional<double> sampleValue(const QByteArray &page, const QByteArray &series)
{
    for (const QByteArray &line : page.split('\n')) {
        if (line.startsWith(series + ' '))
            return line.mid(series.size() + 1).toDouble();
    }
    return std::nullopt;
}

} // namespace orchard::test
