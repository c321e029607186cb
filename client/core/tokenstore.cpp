#include "client/core/tokenstore.h"

#include <memory>

#include <QEventLoop>
#include <QTimer>

#include <qt6keychain/keychain.h>

namespace orchard {

namespace {

/**
 * What this run learnt of the keychain. One per process, not per store: there is one
 * keychain, and QtKeychain itself picks its backend once per process. GUI thread only.
 */
struct KeychainState
{
    bool asked = false;
    bool available = false;
    TokenStore::Problem problem;
    /** Jobs given up at their deadline that have not finished yet (see TokenStore::run). */
    int abandonedJobs = 0;
};

KeychainState &keychainState()
{
    static KeychainState state;
    return state;
}

QString defaultService()
{
    const QString organization = QCoreApplication::organizationName();
    return organization.isEmpty() ? QStringLiteral("Orchard") : organization;
}

QString defaultKey()
{
    const QString application = QCoreApplication::applicationName();
    return (application.isEmpty() ? QStringLiteral("orchard-client") : application)
            + QStringLiteral("/server-access-token");
}

} // namespace

TokenStore::TokenStore(std::chrono::milliseconds deadline)
    : TokenStore(defaultService(), defaultKey(), deadline)
{
}

TokenStore::TokenStore(QString service, QString key, std::chrono::milliseconds deadline)
    : m_service(std::move(service))
    , m_key(std::move(key))
    , m_deadline(deadline)
{
}

QString TokenStore::Problem::text() const
{
    return TokenStore::describe(*this);
}

QString TokenStore::describe(const Problem &problem)
{
    using Kind = Problem::Kind;
    switch (problem.kind) {
    case Kind::None:
        break;
    case Kind::Unreachable:
#if defined(Q_OS_UNIX) && !defined(Q_OS_MACOS) && !defined(Q_OS_ANDROID)
        return tr("neither GNOME Keyring nor KWallet could be reached; the keychain library said: “%1”")
                .arg(problem.keychainError);
#else
        return tr("the system keychain could not be used; it said: “%1”").arg(problem.keychainError);
#endif
    case Kind::Refused:
        return tr("the keychain refused access: “%1”").arg(problem.keychainError);
    case Kind::TimedOut:
        return tr("the keychain did not answer within %n second(s)", nullptr, problem.seconds);
    case Kind::StillWaiting:
        return tr("the keychain has not answered an earlier question yet");
    }
    return {};
}

TokenStore::Answer TokenStore::read() const
{
    return run(new QKeychain::ReadPasswordJob(m_service));
}

TokenStore::Answer TokenStore::write(const QByteArray &token) const
{
    auto *job = new QKeychain::WritePasswordJob(m_service);
    job->setBinaryData(token);
    return run(job);
}

TokenStore::Answer TokenStore::remove() const
{
    return run(new QKeychain::DeletePasswordJob(m_service));
}

TokenStore::Availability TokenStore::availability() const
{
    if (!keychainState().asked)
        read();
    return { keychainState().available, keychainState().problem };
}

TokenStore::Answer TokenStore::run(QKeychain::Job *started) const
{
    std::unique_ptr<QKeychain::Job> job(started);
    KeychainState &state = keychainState();
    Answer answer;
    if (state.abandonedJobs > 0) {
        // QtKeychain runs its jobs one after another: this one would only queue behind
        // the one that has not answered, and time out in its turn.
        answer.problem.kind = Problem::Kind::StillWaiting;
        state.asked = true;
        state.available = false;
        state.problem = answer.problem;
        return answer;
    }
    job->setAutoDelete(false);
    job->setInsecureFallback(false); // never QtKeychain's plain-text copy in a settings file
    job->setKey(m_key);

    QEventLoop loop;
    bool finished = false;
    QObject::connect(job.get(), &QKeychain::Job::finished, &loop, [&] {
        finished = true;
        loop.quit();
    });
    QTimer deadline;
    deadline.setSingleShot(true);
    QObject::connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
    deadline.start(m_deadline);
    job->start(); // queued by QtKeychain: it answers from the event loop, never in here
    if (!finished)
        loop.exec(QEventLoop::ExcludeUserInputEvents);

    if (!finished) {
        // Not deleted: a job deleted while its D-Bus or libsecret call is pending would be
        // called back after its end. It finishes (or not) on its own and deletes itself.
        QObject::disconnect(job.get(), nullptr, &loop, nullptr);
        ++state.abandonedJobs;
        QObject::connect(job.get(), &QKeychain::Job::finished, [] { --keychainState().abandonedJobs; });
        job->setAutoDelete(true);
        job.release();
        answer.problem.kind = Problem::Kind::TimedOut;
        answer.problem.seconds = static_cast<int>((m_deadline.count() + 999) / 1000);
    } else {
        switch (job->error()) {
        case QKeychain::NoError:
            answer.outcome = Answer::Outcome::Done;
            if (const auto *reading = qobject_cast<QKeychain::ReadPasswordJob *>(job.get()))
                answer.token = reading->binaryData();
            break;
        case QKeychain::EntryNotFound:
            answer.outcome = Answer::Outcome::NotFound;
            break;
        case QKeychain::AccessDeniedByUser:
        case QKeychain::AccessDenied:
            answer.problem = { Problem::Kind::Refused, job->errorString(), 0 };
            break;
        default:
            answer.problem = { Problem::Kind::Unreachable, job->errorString(), 0 };
            break;
        }
    }
    state.asked = true;
    state.available = answer.keychainAnswered();
    state.problem = answer.problem;
    return answer;
}

} // namespace orchard
