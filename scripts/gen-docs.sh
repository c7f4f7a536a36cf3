#!/usr/bin/env bash
# Generates, from the built binary's own help, the man page bootmap.1 and the bash and zsh completion
# scripts (run by the build; `cmake --install` installs both). Usage: scripts/gen-docs.sh BOOTMAP OUTDIR
set -euo pipefail
bootmap=$(realpath "$1")
out=$2
mkdir -p "$out"
# Run as "bootmap", so that the usage lines name the command, not the build path.
bootmap() { (exec -a bootmap "$binary" "$@"); }
binary=$bootmap
commands=$(bootmap --help | sed -n '/^Subcommands:/,$p' | awk 'NR > 1 && NF { print $1 }')
version=$(bootmap --version | awk 'NR == 1 { print $2 }')  # awk reads it all: no SIGPIPE under pipefail

# roff: escape backslashes and leading dots/quotes of help lines.
roff() { sed -e 's/\\/\\e/g' -e "s/^\([.']\)/\\\\\&\1/"; }
{
  echo ".TH BOOTMAP 1 \"\" \"bootmap $version\" \"User Commands\""
  echo ".SH NAME"
  echo "bootmap \\- static analysis and prediction of Linux boot memory layouts"
  echo ".SH SYNOPSIS"
  echo ".B bootmap"
  echo "[\\fICOMMAND\\fR] [\\fIOPTIONS\\fR] [\\fIINPUTS\\fR...]"
  echo ".SH DESCRIPTION"
  echo "bootmap reads what describes a machine's memory (kernel command lines and bootloader files, device"
  echo "trees, /proc/iomem dumps, e820 maps, ACPI SRAT tables, kernel logs), replays the kernel's own boot-time"
  echo "algorithms for a kernel version, and reports conflicts, waste and the resulting layout before a reboot."
  echo "With no command it analyses the machine it runs on."
  echo ".SH COMMANDS"
  for command in $commands; do
    echo ".SS $command"
    echo ".nf"
    bootmap "$command" --help | roff
    echo ".fi"
  done
  echo ".SH KERNEL PROFILES"
  echo ".nf"
  bootmap --version | tail -n +2 | roff
  echo ".fi"
  echo ".SH RULES"
  echo "Every rule, its default severity and what it reports (from the rule registry, as"
  echo ".B bootmap rules"
  echo "prints it):"
  echo ".nf"
  bootmap rules | roff
  echo ".fi"
  echo ".SH EXIT STATUS"
  echo ".TP"
  echo ".B 0"
  echo "clean: notes and warnings only"
  echo ".TP"
  echo ".B 1"
  echo "findings at error level"
  echo ".TP"
  echo ".B 2"
  echo "unusable input or usage error; the message names the file, line and column or byte offset"
  echo ".SH ENVIRONMENT"
  echo ".TP"
  echo ".B NO_COLOR"
  echo "no colour in text findings, even on a terminal"
  echo ".SH SEE ALSO"
  echo ".BR dtc (1),"
  echo "the rule pages installed under share/doc/bootmap/rules, and"
  echo ".B bootmap explain"
  echo ".IR RULE ."
} >"$out/bootmap.1"

# Bash completion: the commands, then each command's options (read from its --help).
{
  echo "# bash completion for bootmap (generated from its --help by scripts/gen-docs.sh)"
  echo "_bootmap() {"
  echo "  local cur=\${COMP_WORDS[COMP_CWORD]} command=\${COMP_WORDS[1]}"
  echo "  if [ \"\$COMP_CWORD\" -eq 1 ]; then"
  echo "    COMPREPLY=(\$(compgen -W \"$(echo $commands) --help --version\" -- \"\$cur\"))"
  echo "    return"
  echo "  fi"
  echo "  case \$command in"
  for command in $commands; do
    # The option column of the help: "  -o,--output TEXT   Write ..."
    options=$(bootmap "$command" --help | grep -E '^  -' | sed -E 's/^  ([^ ]+).*/\1/' | tr ',' '\n' | sort -u | tr '\n' ' ')
    echo "    $command) [[ \$cur == -* ]] && COMPREPLY=(\$(compgen -W \"$options\" -- \"\$cur\")) || COMPREPLY=(\$(compgen -f -- \"\$cur\")) ;;"
  done
  echo "  esac"
  echo "}"
  echo "complete -o filenames -F _bootmap bootmap"
} >"$out/bootmap.bash"

# zsh completion: the commands with their summaries, then each command's options with their help
# text (values complete as files), and files for the inputs.
zsh_quote() { sed -e "s/'/'\\\\''/g" -e 's/\[/\\[/g' -e 's/\]/\\]/g' -e 's/:/\\:/g'; }
{
  echo "#compdef bootmap"
  echo "# zsh completion for bootmap (generated from its --help by scripts/gen-docs.sh)"
  echo "_bootmap() {"
  echo "  local -a commands"
  echo "  commands=("
  bootmap --help | sed -n '/^Subcommands:/,$p' | awk 'NR > 1 && NF' | while read -r name summary; do
    printf "    '%s:%s'\n" "$name" "$(printf '%s' "$summary" | sed -e "s/'/'\\\\''/g" -e 's/:/\\:/g')"
  done
  echo "  )"
  echo "  if (( CURRENT == 2 )); then"
  echo "    _describe -t commands 'bootmap command' commands"
  echo "    return"
  echo "  fi"
  echo "  case \$words[2] in"
  for command in $commands; do
    echo "    $command)"
    echo "      _arguments -s \\"
    # "  -o,--output TEXT   Write ...": names, whether a value follows, the description.
    bootmap "$command" --help | grep -E '^  -' | while IFS= read -r line; do
      spec=$(printf '%s' "$line" | sed -E 's/^  ([^ ]+)( ([A-Z][^ ]*))?( [.][.][.])?( +(.*))?$/\1\t\3\t\6/')
      names=$(printf '%s' "$spec" | cut -f1)
      value=$(printf '%s' "$spec" | cut -f2)
      help=$(printf '%s' "$spec" | cut -f3 | zsh_quote)
      for name in ${names//,/ }; do
        if [ -n "$value" ]; then
          echo "        '*${name}[${help}]:value:_files' \\"
        else
          echo "        '${name}[${help}]' \\"
        fi
      done
    done
    echo "        '*:input:_files'"
    echo "      ;;"
  done
  echo "  esac"
  echo "}"
  echo "_bootmap \"\$@\""
} >"$out/_bootmap"
