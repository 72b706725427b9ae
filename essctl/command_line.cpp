#include "essctl/command_line.h"

#include <iostream>
#include <set>

namespace ess::essctl {

namespace {

// Characters, not bytes: "CLÉ" takes three columns.
std::size_t Columns(const std::string& text) {
  std::size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

bool IsHelp(const std::string& word) { return word == "--help" || word == "-h"; }

std::string Synopsis(const CommandSpec& spec) {
  std::string out = "essctl " + spec.path;
  for (const auto& o : spec.options) {
    if (o.hidden) continue;
    std::string text = o.value_name.empty() ? o.name : o.name + " " + o.value_name;
    out += o.required ? " " + text : " [" + text + "]";
  }
  return out;
}

std::string Indented(const std::string& text, const std::string& indent) {
  std::string out = indent;
  for (char c : text) {
    out += c;
    if (c == '\n') out += indent;
  }
  return out;
}

// The commands whose path starts with `prefix` words.
std::vector<const Command*> Under(const std::vector<Command>& commands, const std::string& prefix) {
  std::vector<const Command*> out;
  for (const auto& c : commands) {
    if (prefix.empty() || c.spec.path == prefix || c.spec.path.rfind(prefix + " ", 0) == 0) {
      out.push_back(&c);
    }
  }
  return out;
}

std::string ListUsage(const std::vector<const Command*>& commands, const std::string& title) {
  std::string out = title + "\n\n";
  for (const Command* c : commands) {
    out += "  " + Synopsis(c->spec) + "\n" + Indented(c->spec.summary, "        ") + "\n";
  }
  out += "\n  essctl COMMANDE --help                    l'aide d'une commande, avec ses options\n";
  return out;
}

const char* kTitle = "essctl : administration de la carte fédérée de l'ESS.";

}  // namespace

Args::Args(const CommandSpec& spec, std::span<const std::string> words) : spec_(spec) {
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    const OptionSpec* option = nullptr;
    for (const auto& o : spec.options) {
      if (o.name == w) option = &o;
    }
    if (!option) {
      if (w.rfind("-", 0) == 0) throw UsageError(spec.path + " : option inconnue : " + w);
      throw UsageError(spec.path + " : argument inattendu : « " + w + " »");
    }
    if (values_.count(w)) throw UsageError(spec.path + " : " + w + " donnée deux fois");
    if (option->value_name.empty()) {
      values_[w] = "";
      continue;
    }
    if (i + 1 >= words.size() || words[i + 1].rfind("--", 0) == 0) {
      throw UsageError(spec.path + " : " + w + " attend une valeur (" + option->value_name + ")");
    }
    values_[w] = words[++i];
  }
  for (const auto& o : spec.options) {
    if (o.required && (!Has(o.name) || Get(o.name).empty())) {
      throw UsageError(spec.path + " : " + o.name + " est requis");
    }
  }
}

std::string Args::Get(const std::string& option, const std::string& fallback) const {
  auto it = values_.find(option);
  return it == values_.end() ? fallback : it->second;
}

std::uint64_t Args::Number(const std::string& option, std::uint64_t fallback) const {
  if (!Has(option)) return fallback;
  const std::string text = Get(option);
  try {
    std::size_t used = 0;
    if (text.empty() || text[0] == '-') throw std::invalid_argument("");
    auto v = std::stoull(text, &used);
    if (used != text.size()) throw std::invalid_argument("");
    return v;
  } catch (...) {
    throw UsageError(option + " : entier positif attendu");
  }
}

std::string CommandUsage(const CommandSpec& spec) {
  std::string out =
      "usage : " + Synopsis(spec) + "\n\n" + Indented(spec.summary, "  ") + "\n\nOptions :\n";
  std::size_t width = 12;
  for (const auto& o : spec.options) {
    if (!o.hidden) width = std::max(width, Columns(o.name + " " + o.value_name));
  }
  auto line = [&](const std::string& left, const std::string& help) {
    out += "  " + left + std::string(width + 2 - Columns(left), ' ') + help + "\n";
  };
  for (const auto& o : spec.options) {
    if (o.hidden) continue;
    std::string left = o.value_name.empty() ? o.name : o.name + " " + o.value_name;
    line(left, o.help + (o.required ? " (requis)" : ""));
  }
  line("-h, --help", "cette aide");
  return out;
}

int RunCommandLine(const std::vector<Command>& commands, const std::vector<std::string>& words) {
  if (words.empty() || IsHelp(words[0])) {
    std::cout << ListUsage(Under(commands, ""), kTitle);
    return words.empty() ? 2 : 0;
  }
  // The longest command path the words start with.
  const Command* command = nullptr;
  std::size_t used = 0;
  std::string prefix;
  for (std::size_t n = 1; n <= words.size() && n <= 3; ++n) {
    if (words[n - 1].rfind("-", 0) == 0) break;
    prefix += (n > 1 ? " " : "") + words[n - 1];
    if (Under(commands, prefix).empty()) break;
    for (const auto& c : commands) {
      if (c.spec.path == prefix) {
        command = &c;
        used = n;
      }
    }
  }
  if (!command) {
    // A group ("region") without its command, or with an unknown one.
    std::string group = words[0];
    auto members = Under(commands, group);
    if (members.empty()) {
      std::cerr << "essctl : commande inconnue : " << words[0] << "\n\n"
                << ListUsage(Under(commands, ""), kTitle);
      return 2;
    }
    if (words.size() > 1 && IsHelp(words[1])) {
      std::cout << ListUsage(members, "essctl " + group + " :");
      return 0;
    }
    std::cerr << "essctl : "
              << (words.size() > 1 ? group + " : sous-commande inconnue : " + words[1]
                                   : group + " : sous-commande manquante")
              << "\n\n"
              << ListUsage(members, "essctl " + group + " :");
    return 2;
  }
  std::span<const std::string> rest(words.begin() + used, words.end());
  for (const auto& w : rest) {
    if (IsHelp(w)) {
      std::cout << CommandUsage(command->spec);
      return 0;
    }
  }
  try {
    Args args(command->spec, rest);
    return command->run(args);
  } catch (const std::invalid_argument& e) {
    std::cerr << "essctl : " << e.what() << "\n\n" << CommandUsage(command->spec);
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "essctl : " << e.what() << "\n";
    return 1;
  }
}

}  // namespace ess::essctl
