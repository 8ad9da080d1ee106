import net from "node:net";

/**
 * Set up for the unit project: a unit test needs no network, so opening a socket (a Redis client, an
 * HTTP call, a server) fails loudly instead of quietly turning it into a slower, flakier kind of test.
 * Rename the file `*.redis.test.ts` or `*.e2e.test.ts` if it really needs one.
 */
function refuse(what: string): never {
  throw new Error(`a unit test may not ${what}: name it *.redis.test.ts or *.e2e.test.ts (see README, Tests)`);
}

net.Socket.prototype.connect = function connect() {
  refuse("open a socket");
};
net.Server.prototype.listen = function listen() {
  refuse("listen on a port");
};
