package io.nanoclaw.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The commands as typed, for shell completion. A static table (the client never asks the host, so completion works
 * with the host down); a test checks it against the host's {@code ncl help}.
 */
public final class Completion {
    /** Every command as its words; "groups config add-mcp-server" is three words. */
    public static final List<String> COMMANDS = List.of(
            "groups list", "groups get", "groups create", "groups update", "groups delete", "groups restart",
            "groups config get", "groups config update", "groups config add-mcp-server",
            "groups config remove-mcp-server", "groups config add-package", "groups config remove-package",
            "messaging-groups list", "messaging-groups get", "messaging-groups create", "messaging-groups update",
            "messaging-groups delete",
            "wirings list", "wirings get", "wirings create", "wirings update", "wirings delete",
            "users list", "users get", "users create", "users update",
            "roles list", "roles grant", "roles revoke",
            "members list", "members add", "members remove",
            "destinations list", "destinations add", "destinations remove",
            "sessions list", "sessions get", "sessions close",
            "approvals list", "approvals get",
            "user-dms list",
            "dropped-messages list",
            "help",
            // the operator's daily commands
            "status", "doctor", "usage", "logs", "backup", "restore", "pairing create",
            // local to the client
            "completion bash");

    private Completion() {}

    /** Next words by the words before them ("" → the resources). */
    static Map<String, Set<String>> tree() {
        Map<String, Set<String>> next = new LinkedHashMap<>();
        for (String c : COMMANDS) {
            String[] w = c.split(" ");
            String prefix = "";
            for (String word : w) {
                next.computeIfAbsent(prefix, k -> new LinkedHashSet<>()).add(word);
                prefix = prefix.isEmpty() ? word : prefix + " " + word;
            }
        }
        return next;
    }

    public static String bash() {
        StringBuilder sb = new StringBuilder();
        sb.append("# bash completion for ncl (NanoClaw's operator CLI). Load it with:\n")
                .append("#   source <(./nanoclaw ncl completion bash)\n")
                .append("# It completes `ncl ...` (put an `ncl` wrapper on your PATH, see docs/ncl.md) and\n")
                .append("# `./nanoclaw ncl ...`.\n")
                .append("_ncl_complete() {\n")
                .append("  local cur=\"${COMP_WORDS[COMP_CWORD]}\" start=1 words\n")
                .append("  [ \"${COMP_WORDS[0]##*/}\" = \"nanoclaw\" ] && start=2\n")
                .append("  [ \"$COMP_CWORD\" -lt \"$start\" ] && return 0\n")
                .append("  local path=\"${COMP_WORDS[*]:start:COMP_CWORD-start}\"\n")
                .append("  if [[ \"$cur\" == --* ]]; then\n")
                .append("    COMPREPLY=( $(compgen -W \"--json --help\" -- \"$cur\") )\n")
                .append("    return 0\n")
                .append("  fi\n")
                .append("  case \"$path\" in\n");
        for (Map.Entry<String, Set<String>> e : tree().entrySet()) {
            sb.append("    \"").append(e.getKey()).append("\") words=\"")
                    .append(String.join(" ", e.getValue())).append("\" ;;\n");
        }
        sb.append("    *) words=\"\" ;;\n")
                .append("  esac\n")
                .append("  COMPREPLY=( $(compgen -W \"$words\" -- \"$cur\") )\n")
                .append("}\n")
                .append("complete -F _ncl_complete ncl\n")
                .append("complete -F _ncl_complete nanoclaw ./nanoclaw\n");
        return sb.toString();
    }

    /** The commands as the host names them ("groups-config-add-mcp-server"). */
    public static List<String> dashed() {
        List<String> out = new ArrayList<>();
        COMMANDS.forEach(c -> out.add(c.replace(' ', '-')));
        return out;
    }
}
