#include "node/mail/smtp_sender.h"

#include <cstring>
#include <memory>
#include <mutex>

#include <curl/curl.h>

namespace ess::node {

namespace {

struct Upload {
  const std::string* text;
  std::size_t at = 0;
};

std::size_t ReadBody(char* buffer, std::size_t size, std::size_t count, void* data) {
  auto* upload = static_cast<Upload*>(data);
  const std::size_t n = std::min(size * count, upload->text->size() - upload->at);
  std::memcpy(buffer, upload->text->data() + upload->at, n);
  upload->at += n;
  return n;
}

// The relay's replies: its last line, and the last refusal (4xx, 5xx) it gave.
struct Replies {
  std::string last, refusal;
};

int KeepReply(CURL*, curl_infotype type, char* data, std::size_t size, void* out) {
  if (type == CURLINFO_HEADER_IN) {
    auto* replies = static_cast<Replies*>(out);
    std::string line(data, size);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    if (line.empty()) return 0;
    replies->last = line.substr(0, 500);
    if (line[0] == '4' || line[0] == '5') replies->refusal = replies->last;
  }
  return 0;
}

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

SmtpSender::SmtpSender(SmtpOptions options) : options_(std::move(options)) { GlobalInit(); }

SendResult SmtpSender::Send(const OutgoingMail& mail) {
  auto text = FormatMail(mail, options_.from);
  if (!text) return {SendResult::Outcome::kPermanent, "adresse invalide : " + mail.to};
  if (text->size() > kMaxMailBytes) {
    return {SendResult::Outcome::kPermanent,
            "message trop long (" + std::to_string(text->size()) + " octets)"};
  }
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return {SendResult::Outcome::kTemporary, "curl_easy_init a échoué"};
  CURL* c = curl.get();
  char error[CURL_ERROR_SIZE] = {0};
  Replies replies;
  Upload upload{&*text};
  const std::string from = "<" + options_.from.from_address + ">";
  const std::string to = "<" + mail.to + ">";
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> recipients(
      curl_slist_append(nullptr, to.c_str()), curl_slist_free_all);
  curl_easy_setopt(c, CURLOPT_URL, options_.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(options_.timeout.count()));
  if (options_.url.rfind("smtp://", 0) == 0) {
    curl_easy_setopt(c, CURLOPT_USE_SSL, options_.starttls ? CURLUSESSL_ALL : CURLUSESSL_NONE);
  }
  if (!options_.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, options_.ca_file.c_str());
  if (!options_.user.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, options_.user.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, options_.password.c_str());
  }
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, recipients.get());
  curl_easy_setopt(c, CURLOPT_READFUNCTION, ReadBody);
  curl_easy_setopt(c, CURLOPT_READDATA, &upload);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(text->size()));
  curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, KeepReply);
  curl_easy_setopt(c, CURLOPT_DEBUGDATA, &replies);
  curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);  // feeds KeepReply; curl prints nothing itself
  const CURLcode code = curl_easy_perform(c);
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  std::string answer =
      code == CURLE_OK ? std::string() : (*error ? error : curl_easy_strerror(code));
  const std::string& reply =
      code == CURLE_OK || replies.refusal.empty() ? replies.last : replies.refusal;
  if (!reply.empty()) answer += (answer.empty() ? "" : " ; ") + ("le serveur a répondu : " + reply);
  if (code == CURLE_OK) return {SendResult::Outcome::kSent, answer};
  // 530, 534, 535, 538: authentication or TLS required or refused, the region's
  // configuration to fix, not the message's fault.
  const bool configuration = code == CURLE_LOGIN_DENIED || code == CURLE_USE_SSL_FAILED ||
                             status == 530 || status == 534 || status == 535 || status == 538;
  const bool refused = status >= 500 && status < 600 && !configuration;
  return {refused ? SendResult::Outcome::kPermanent : SendResult::Outcome::kTemporary, answer};
}

}  // namespace ess::node
