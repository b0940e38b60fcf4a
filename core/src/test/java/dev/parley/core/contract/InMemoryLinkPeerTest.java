package dev.parley.core.contract;

import dev.parley.core.testkit.InMemoryLink;

class InMemoryLinkPeerTest extends PeerContract {
    @Override
    protected Pair connect() {
        InMemoryLink link = new InMemoryLink();
        return new Pair(link.client(), link.server());
    }
}
