#pragma once
// Tells the service manager what state the service is in: systemd's notification protocol
// (sd_notify(3)), written by hand (docs/decisions/0016-systemd-notify-by-hand.md). One
// datagram, e.g. "READY=1", to the unix socket $NOTIFY_SOCKET names: an absolute path, or
// "@name" for the abstract namespace. Without $NOTIFY_SOCKET (started from a terminal, a
// test, a container, a unit that is not Type=notify) nothing is sent.

#include <string>
#include <string_view>

namespace ess {

// Sends `state` ("READY=1", "STOPPING=1", "STATUS=..."; at most 4096 bytes). True when sent;
// false when $NOTIFY_SOCKET is unset or empty (`error` left empty), or when it names no
// usable socket or the send failed (`error`, when not null, says why, naming the socket).
bool NotifyServiceManager(std::string_view state, std::string* error = nullptr);

// "READY=1" once the service's servers listen; "STOPPING=1" when it begins to stop. A
// failure is logged as a warning (the service manager then decides, e.g. at its timeout).
void NotifyReady();
void NotifyStopping();

}  // namespace ess
