// Serves PostGraphile over plain node:http with grafserv's node adaptor (run under Node 22).
import { createServer } from "node:http";
import { postgraphile } from "postgraphile";
import { grafserv } from "postgraphile/grafserv/node";
import preset from "./graphile.config.mjs";

const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
const server = createServer();
server.on("error", (e) => {
  console.error(e);
  process.exit(1);
});
await serv.addTo(server);
const { host, port } = (await pgl.getResolvedPreset()).grafserv;
server.listen(port, host, () => console.log(`postgraphile listening on http://${host}:${port}/graphql`));
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(0));
