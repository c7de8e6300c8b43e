// A real OpenID provider for tests/test_single_sign_on.py: panva's oidc-provider (a certified
// implementation) on 127.0.0.1, with one client and three staff accounts. Its settings come as JSON
// in argv[2]: {port, client_id, client_secret, redirect_uri}. It prints "ready <issuer>" once it
// listens, and exits when its stdin closes, so it never outlives the test run that started it.
import Provider from 'oidc-provider';

const settings = JSON.parse(process.argv[2]);
const issuer = `http://127.0.0.1:${settings.port}`;
const ACCOUNTS = {
  leo: { email: 'leo@example.org', email_verified: true, name: 'Leo Leader' },
  vera: { email: 'vera@example.org', email_verified: true, name: 'Vera Volunteer' },
  unverified: { email: 'olga@example.org', email_verified: false, name: 'Not Olga' },
  stranger: { email: 'nobody@example.org', email_verified: true, name: 'No Account' },
};

const provider = new Provider(issuer, {
  clients: [{
    client_id: settings.client_id,
    client_secret: settings.client_secret,
    redirect_uris: [settings.redirect_uri],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  pkce: { required: () => true }, // and S256 alone, oidc-provider's default
  ttl: { IdToken: 60, AccessToken: 60, AuthorizationCode: 30, Interaction: 120, Session: 300, Grant: 300 },
  cookies: { keys: ['tests-only-cookie-key'] },
  async findAccount(ctx, id) {
    if (!ACCOUNTS[id]) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...ACCOUNTS[id] }; } };
  },
});
provider.on('server_error', (ctx, error) => console.error(error));

const server = provider.listen(settings.port, '127.0.0.1', () => console.log(`ready ${issuer}`));
process.stdin.on('end', () => { server.close(); process.exit(0); });
process.stdin.on('close', () => process.exit(0));
process.stdin.resume();
