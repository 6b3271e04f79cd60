#!/usr/bin/env bash
# Start a throwaway Dovecot IMAP server for the tests: plain-text logins from a passwd file,
# maildirs under DIR, listening on 127.0.0.1:PORT only, with its own config (never the
# system's). Usage: dovecot.sh start DIR PORT USER PASSWORD | dovecot.sh stop DIR
set -euo pipefail
cmd=${1:?start or stop}
dir=${2:?directory}
case "$cmd" in
start)
    port=${3:?port} user=${4:?user} password=${5:?password}
    mkdir -p "$dir/run" "$dir/state" "$dir/home"
    chmod 755 "$dir"  # the auth and mail processes run as unprivileged users
    mail_user=$(id -un)
    if [ "$(id -u)" = 0 ]; then  # Dovecot refuses mail access as root: use its own user
        mail_user=dovecot
        chown -R dovecot: "$dir/home"
    fi
    printf '%s:{PLAIN}%s\n' "$user" "$password" >"$dir/passwd"
    chmod 644 "$dir/passwd"
    cat >"$dir/dovecot.conf" <<CONF
protocols = imap
listen = 127.0.0.1
base_dir = $dir/run
state_dir = $dir/state
log_path = $dir/dovecot.log
instance_name = samspill-test-$port
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $dir/passwd
}
userdb {
  driver = static
  args = uid=$mail_user gid=$mail_user home=$dir/home/%u
}
mail_location = maildir:~/Maildir
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $port
  }
  inet_listener imaps {
    port = 0
  }
}
service stats {
  unix_listener stats-reader {
    mode = 0666
  }
  unix_listener stats-writer {
    mode = 0666
  }
}
CONF
    /usr/sbin/dovecot -c "$dir/dovecot.conf"
    ;;
stop)
    if [ -f "$dir/run/master.pid" ]; then
        pid=$(cat "$dir/run/master.pid")
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    ;;
*)
    echo "usage: $0 start DIR PORT USER PASSWORD | stop DIR" >&2
    exit 2
    ;;
esac
