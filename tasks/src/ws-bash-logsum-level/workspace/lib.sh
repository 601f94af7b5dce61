# lib.sh - helpers for logsum.

LEVELS="DEBUG INFO WARN ERROR"

# level_rank LEVEL: 0 for DEBUG ... 3 for ERROR; fails for others.
level_rank() {
	case $1 in
	DEBUG) echo 0 ;;
	INFO) echo 1 ;;
	WARN) echo 2 ;;
	ERROR) echo 3 ;;
	*) return 1 ;;
	esac
}
