package io.keyline.integration;

import io.lettuce.core.RedisCommandExecutionException;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Protocol;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The cluster, replication and module commands through real clients, answered as a standalone Redis with no
 * replicas answers them (the byte-for-byte comparison with redis-server is in compat/acl.txt).
 */
class StandaloneCommandsIT extends ServerTestBase {
    @Test
    void roleIsAMasterWithNoReplicas() {
        List<Object> role = jedis.role();
        assertThat(role).hasSize(3);
        assertThat(role.get(0)).isEqualTo("master");
        assertThat(role.get(1)).isEqualTo(0L);
        assertThat((List<?>) role.get(2)).isEmpty();
        assertThat(lettuce.role()).hasSize(3);
    }

    @Test
    void waitAndReplicaofAnswerAsAMasterWithoutReplicas() {
        assertThat(jedis.waitReplicas(0, 0)).isZero();
        assertThat(lettuce.waitForReplication(1, 10)).isZero();
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.WAIT, "0", "-1")).hasMessage("ERR timeout is negative");
        assertThat(jedis.replicaofNoOne()).isEqualTo("OK");
        assertThat(lettuce.slaveofNoOne()).isEqualTo("OK");
    }

    @Test
    void clusterCommandsSayClusterSupportIsDisabled() {
        assertThatThrownBy(() -> jedis.clusterInfo()).hasMessage("ERR This instance has cluster support disabled");
        assertThatThrownBy(() -> jedis.readonly()).hasMessage("ERR This instance has cluster support disabled");
        assertThatThrownBy(() -> lettuce.clusterKeyslot("foo"))
                .isInstanceOf(RedisCommandExecutionException.class)
                .hasMessage("ERR This instance has cluster support disabled");
    }

    @Test
    void moduleListIsEmptyAndLoadingIsRefused() {
        assertThat((List<?>) jedis.sendCommand(Protocol.Command.MODULE, "LIST")).isEmpty();
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.MODULE, "LOAD", "/tmp/x.so"))
                .hasMessageStartingWith("ERR MODULE command not allowed.");
    }
}
