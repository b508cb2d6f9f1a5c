#!/bin/bash
# Interop: Apache mqadmin (5.3, via AdminRun) looks up messages on our mqnamesrv +
# mqbroker: the official Java producer (org.rocketmqc.interop.SendKeyed) sends keyed
# messages, then
#   queryMsgById -i <offsetMsgId> -t <topic>  VIEW_MESSAGE_BY_ID at the address in the id
#   queryMsgById -i <msgId> -t <topic>     the UNIQ_KEY fallback (QUERY_MESSAGE with
#                                          _UNIQUE_KEY_QUERY)
#   queryMsgByUniqueKey -i <msgId> -t <topic>
#   queryMsgByKey -t <topic> -k <key>      QUERY_MESSAGE through the index
# must each find the right message (topic, tags, keys, queue, offsets as sent), and an
# unknown key must find nothing.
#
# Exit: 0 pass, 77 skip, other fail.
. "$(dirname "$0")/lib.sh"
rmq_init broker_query_msg 240
rmq_shared_jvm

rmq_start_our_cluster

topic=RmqcQuery_$RANDOM
rmq_run_java send_keyed 90 org.rocketmqc.interop.SendKeyed "$ns" "$topic" 3 >"$RMQ_WORK/sent.txt" ||
    rmq_die "SendKeyed failed"
cat "$RMQ_WORK/sent.txt" >&2
rmq_probe "$ns" wait-route "$topic" 60000 || rmq_die "$topic never registered"

# expect OUTPUT LABEL VALUE: a "Label:   value" line of queryMsgById's printout.
expect() {
    printf '%s\n' "$1" | grep -Eq "^$2:? +$(printf '%s' "$3" | sed 's/[][\.*^$]/\\&/g')\$" ||
        { printf '%s\n' "$1" >&2; rmq_die "expected \"$2 $3\""; }
}

while read -r _ i offid msgid key qid qoff; do
    rmq_log "message $i: offsetMsgId=$offid msgId=$msgid key=$key queue=$qid offset=$qoff"
    for form in offset uniq unique_cmd; do
        case $form in
        offset) out=$(rmq_mqadmin queryMsgById -i "$offid" -t "$topic" -n "$ns") ;;
        uniq) out=$(rmq_mqadmin queryMsgById -i "$msgid" -t "$topic" -n "$ns") ;;
        unique_cmd) out=$(rmq_mqadmin queryMsgByUniqueKey -i "$msgid" -t "$topic" -n "$ns") ;;
        esac
        expect "$out" "Topic" "$topic"
        expect "$out" "Tags" "[TagQ]"
        expect "$out" "Keys" "[$key]"
        expect "$out" "Queue ID" "$qid"
        expect "$out" "Queue Offset" "$qoff"
        rmq_log "  $form: found"
    done
    out=$(rmq_mqadmin queryMsgByKey -t "$topic" -k "$key" -n "$ns")
    printf '%s\n' "$out" | grep -Eq "^$msgid +$qid +$qoff\$" ||
        { printf '%s\n' "$out" >&2; rmq_die "queryMsgByKey $key did not list $msgid"; }
    rmq_log "  queryMsgByKey: found"
done <"$RMQ_WORK/sent.txt"
[ "$(grep -c '^SENT ' "$RMQ_WORK/sent.txt")" = 3 ] || rmq_die "SendKeyed did not send 3 messages"

out=$(rmq_mqadmin queryMsgByKey -t "$topic" -k no-such-key -n "$ns")
if printf '%s\n' "$out" | grep -Eq '^[0-9A-F]{32} '; then
    printf '%s\n' "$out" >&2
    rmq_die "queryMsgByKey found a message for an unknown key"
fi
rmq_kill broker TERM
rmq_log "PASS"
