#!/bin/bash
# Store compatibility, Apache -> ours, after a crash: as test_store_apache_to_ours.sh,
# but the Apache broker is killed with SIGKILL right after the last acknowledged send, so
# our store meets the abort file and must recover the directory abnormally (from the
# checkpoint, re-dispatching what the broker's queues and index had not yet recorded).
export RMQ_STORE_COMPAT_STOP=kill
exec bash "$(dirname "$0")/test_store_apache_to_ours.sh" "$@"
