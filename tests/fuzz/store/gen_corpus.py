#!/usr/bin/env python3
"""Regenerates the seed corpora of the store fuzz targets (tests/fuzz/store/corpus/)
from the record layout of spec store.md 2.1. Run from any directory."""
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def crc(b):
    return zlib.crc32(b) & 0x7FFFFFFF


def record(topic, qid, qoff, phys, body, props, v6=False, v2=False):
    born = (b"\0" * 15 + b"\1" if v6 else b"\x7f\0\0\1") + struct.pack(">i", 5000)
    store = b"\x7f\0\0\1" + struct.pack(">i", 10911)
    sysflag = 0x10 if v6 else 0
    tl = struct.pack(">h", len(topic)) if v2 else struct.pack(">b", len(topic))
    magic = 0xDAA320AB if v2 else 0xDAA320A7
    rest = (struct.pack(">i", 0) + struct.pack(">q", 0) + struct.pack(">i", len(body)) + body +
            tl + topic + struct.pack(">h", len(props)) + props)
    total = 4 + 4 + 4 + 4 + 4 + 8 + 8 + 4 + 8 + len(born) + 8 + len(store) + len(rest)
    head = struct.pack(">iIiiiqqiq", total, magic, crc(body), qid, 0, qoff, phys, sysflag,
                       1700000000000)
    return head + born + struct.pack(">q", 1700000000001) + store + rest


def write(name, fname, data):
    d = os.path.join(HERE, "corpus", name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, fname), "wb") as f:
        f.write(data)


props = b"TAGS\x01TagA\x02KEYS\x01k1 k2\x02UNIQ_KEY\x01ABC\x02"
r1 = record(b"T", 0, 0, 0, b"hello", props)
r2 = record(b"T", 0, 1, len(r1), b"world", b"")
write("fuzz_store_record", "v1_ipv4", r1)
write("fuzz_store_record", "v1_ipv6", record(b"T", 1, 5, 0, b"x" * 40, props, v6=True))
write("fuzz_store_record", "v2_long_topic", record(b"%RETRY%" + b"g" * 130, 0, 0, 0, b"b", b"", v2=True))
write("fuzz_store_record", "blank", struct.pack(">iI", 100, 0xCBD43194))
write("fuzz_store_record", "props_only", b"A\x01b\x02C\x01d")

# recovery: 2-byte split, 1 flag byte (bit 0: abort file present), commit log, queue
log = r1 + r2
cq = struct.pack(">qiq", 0, len(r1), zlib.crc32(b"TagA") & 0) + struct.pack(">qiq", len(r1), len(r2), 0)
for flag, name in ((0, "normal"), (1, "crashed")):
    write("fuzz_store_recovery", name, struct.pack(">H", len(log)) + bytes([flag]) + log + cq)
torn = log + r2[:30]
write("fuzz_store_recovery", "torn_tail",
      struct.pack(">H", len(torn)) + b"\1" + torn + cq + struct.pack(">qiq", 999, 88, 0))

write("fuzz_store_config", "topics",
      b'{"dataVersion":{"counter":2,"stateVersion":0,"timestamp":1},"topicConfigTable":'
      b'{"TopicTest":{"attributes":{},"order":false,"perm":6,"readQueueNums":4,'
      b'"topicFilterType":"SINGLE_TAG","topicName":"TopicTest","topicSysFlag":0,"writeQueueNums":4}}}')
write("fuzz_store_config", "offsets",
      b'{"offsetTable":{"TopicTest@grpA":{0:250,1:251},"%RETRY%grpA@grpA":{0:0}}}')
write("fuzz_store_config", "delay", b'{"offsetTable":{1:120,2:0,3:57}}')
write("fuzz_store_config", "groups",
      b'{"forbiddenTable":{},"subscriptionGroupTable":{"g":{"groupName":"g",'
      b'"groupRetryPolicy":{"type":"CUSTOMIZED"},"retryMaxTimes":16}}}')
