# bash completion for showcase (installed by `make install`).
_showcase() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	local cmds="build report check new serve schema help"
	if [ "$COMP_CWORD" -eq 1 ]; then
		COMPREPLY=($(compgen -W "$cmds --help --version" -- "$cur"))
		return
	fi
	case $prev in
	-C|--out|--theme) COMPREPLY=($(compgen -d -- "$cur")); return ;;
	--format) COMPREPLY=($(compgen -W "pdf html" -- "$cur")); return ;;
	help) COMPREPLY=($(compgen -W "$cmds" -- "$cur")); return ;;
	esac
	local opts
	case ${COMP_WORDS[1]} in
	build) opts="-C --ref --worktree --out --drafts --theme --jobs --quiet --wait --allow-empty --print-key --help" ;;
	report) opts="-C --ref --worktree --out --format --theme --quiet --help" ;;
	check) opts="-C --ref --staged --worktree --drafts --theme --quiet --install-hook --help" ;;
	new) opts="-C --title --date --slug --set --theme --help"
	     if [ "$COMP_CWORD" -eq 2 ]; then
		     opts="projects studios cases achievements selections reports"
	     fi ;;
	serve) opts="-C --worktree --port --bind --drafts --theme --help" ;;
	schema) opts="--json -C --ref --worktree --theme --help"
	     if [ "$COMP_CWORD" -ge 2 ] && [[ $cur != -* ]]; then
		     opts="projects studios cases achievements selections reports"
	     fi ;;
	esac
	COMPREPLY=($(compgen -W "$opts" -- "$cur"))
}
complete -F _showcase showcase
