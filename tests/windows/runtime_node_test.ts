// handleOf and the typed calls on node:net / node:dgram sockets under Wine: the shared suite.
import "../runtime_node_test.ts";
