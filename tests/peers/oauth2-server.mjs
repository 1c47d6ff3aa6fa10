// oauth2-mock-server with the credential check it lacks by default (DESIGN.md section 4).
// Usage: node oauth2-server.mjs PORT CLIENT_ID CLIENT_SECRET EXPIRES_IN_SECONDS
// Prints READY when listening and one `TOKEN_ISSUED n` line per token, which tests count.
import { OAuth2Server } from 'oauth2-mock-server';

const [port, clientId, clientSecret, expiresIn] = process.argv.slice(2);
const expected = 'Basic ' + Buffer.from(`${clientId}:${clientSecret}`).toString('base64');
const server = new OAuth2Server();
await server.issuer.keys.generate('RS256');
let issued = 0;

server.service.on('beforeTokenSigning', (token) => {
  token.payload.exp = Math.floor(Date.now() / 1000) + Number(expiresIn);
});

server.service.on('beforeResponse', (response, req) => {
  if (req.headers.authorization !== expected) {
    response.statusCode = 401;
    response.body = { error: 'invalid_client' };
    console.log('TOKEN_REFUSED');
    return;
  }
  response.body.expires_in = Number(expiresIn);
  issued += 1;
  console.log(`TOKEN_ISSUED ${issued}`);
});

server.service.on('beforeRevoke', (response, req) => {
  if (req.headers.authorization !== expected) {
    response.statusCode = 401;
  }
  console.log('TOKEN_REVOKED');
});

await server.start(Number(port), '127.0.0.1');
console.log('READY');
