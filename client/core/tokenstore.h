#pragma once

#include <chrono>

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

namespace QKeychain {
class Job;
}

namespace orchard {

/**
 * The server's access token in the system keychain (GNOME Keyring or KWallet through the
 * Secret Service, the macOS Keychain, the Windows Credential Manager), through QtKeychain,
 * never its plain-text fallback: a token that cannot go into a keychain is the caller's to
 * keep (ClientSettings keeps it for the session, or in the settings file when the farmer
 * asked for that).
 *
 * Synchronous, for the window's start and the Settings dialog: each call runs one
 * QtKeychain job and waits for its answer in a local event loop (user input excluded, so
 * OK cannot be pressed twice meanwhile) for at most the deadline, so that a keychain that
 * never answers (a hung D-Bus, a prompt nobody sees) never hangs the window. GUI thread
 * only: QtKeychain's jobs live in the thread's event loop.
 *
 * Where there is no keychain QtKeychain fails fast. Measured on the Linux build machine
 * (QtKeychain 0.13.2, neither libsecret nor libgnome-keyring installed, no KWallet): with
 * no D-Bus session bus each job finished within 1 ms with OtherError "Unknown error"; with
 * a bare session bus (dbus-daemon, no keychain service on it) within 3 ms, the same error.
 * The deadline is therefore only for a keychain that is there but does not answer.
 *
 * Entries are named after the application, as QSettings' file is (organization name as
 * the service, "<application>/server-access-token" as the key: "Orchard",
 * "orchard-client/server-access-token" for the window), so tests, which set names of
 * their own, never read or overwrite the farmer's token.
 */
class TokenStore
{
    Q_DECLARE_TR_FUNCTIONS(TokenStore)

public:
    static constexpr std::chrono::milliseconds kDefaultDeadline{ 5000 };

    /**
     * Why the keychain could not be used. Kept as what happened, not as a sentence, so that
     * text() says it in the language spoken when it is shown.
     */
    struct Problem
    {
        enum class Kind {
            None,
            Unreachable, ///< no keychain service answered (keychainError says what QtKeychain found)
            Refused, ///< the keychain, or the farmer at its prompt, refused access
            TimedOut, ///< no answer within the deadline (seconds)
            StillWaiting, ///< an earlier question timed out and is still unanswered
        };
        Kind kind = Kind::None;
        /** QtKeychain's own errorString (untranslated): part of text(), and for logs and tests. */
        QString keychainError;
        int seconds = 0; ///< the deadline, for TimedOut

        bool isNone() const { return kind == Kind::None; }
        /** In words for the farmer, to fit "No keychain service is available (…)"; empty for None. */
        QString text() const;
        bool operator==(const Problem &other) const
        {
            return kind == other.kind && keychainError == other.keychainError && seconds == other.seconds;
        }
    };

    /** What one question to the keychain came to. */
    struct Answer
    {
        enum class Outcome {
            Done, ///< read (token holds it), written or removed
            NotFound, ///< the keychain answered and holds no token
            Unavailable, ///< no keychain answered, or it refused: see problem
        };
        Outcome outcome = Outcome::Unavailable;
        QByteArray token; ///< what read() found
        Problem problem; ///< for Unavailable

        bool keychainAnswered() const { return outcome != Outcome::Unavailable; }
    };

    /** Whether a keychain can be used in this run and, if not, why. */
    struct Availability
    {
        bool available = false;
        Problem problem;
    };

    explicit TokenStore(std::chrono::milliseconds deadline = kDefaultDeadline);
    /** An entry of its own (service, key), for tests of the store itself. */
    TokenStore(QString service, QString key, std::chrono::milliseconds deadline = kDefaultDeadline);

    Answer read() const;
    Answer write(const QByteArray &token) const;
    /** Removes the token; NotFound when there was none. */
    Answer remove() const;

    /**
     * What the last question of this run found (any store's: there is one keychain),
     * asking once by a read() when nothing has been asked yet.
     */
    Availability availability() const;

    QString service() const { return m_service; }
    QString key() const { return m_key; }

private:
    /** Problem::text(), here so that its texts are in TokenStore's translation context. */
    static QString describe(const Problem &problem);
    /** Starts job, waits for it up to the deadline, and says what it came to. */
    Answer run(QKeychain::Job *job) const;

    QString m_service;
    QString m_key;
    std::chrono::milliseconds m_deadline;
};

} // namespace orchard
