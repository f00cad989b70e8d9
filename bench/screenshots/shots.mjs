// Signs in as the demo user, fills a few months of viewing through the API, and photographs the main pages at phone
// (360 px) and desktop (1280 px) width into docs/screenshots/. Usage: node shots.mjs <base url> <out dir>
import { chromium } from 'playwright-core';

const [base, out] = process.argv.slice(2);
const email = 'demo@example.com', password = 'correct horse battery staple';

async function api(path, body, token, method = 'POST') {
  const r = await fetch(base + path, {
    method, headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
  return r.status === 204 ? null : r.json();
}
const find = async (q, type) => (await (await fetch(`${base}/api/search?q=${encodeURIComponent(q)}&type=${type}`)).json()).results[0].id;

const { access_token: token } = await api('/auth/login', { email, password });
await api('/api/me/platforms', { region: 'US', platforms: ['netflix', 'prime-video'] }, token, 'PUT').catch(() => {});
const bb = await find('breaking bad', 'series'), wire = await find('the wire', 'series'), fawlty = await find('fawlty towers', 'series');
const year = new Date().getUTCFullYear();
const day = (m, d) => `${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}T20:30:00Z`;
await api('/api/checkins', { title_id: bb, season: 1, watched_at: day(1, 12) }, token);
await api('/api/checkins', { title_id: bb, season: 2, watched_at: day(3, 8) }, token);
await api('/api/checkins', { title_id: fawlty, season: 1, watched_at: day(4, 2) }, token);
await api('/api/checkins', { title_id: wire, season: 0 + 1, episode: 1, watched_at: day(6, 20) }, token).catch(() => {});
const now = new Date();
for (const [q, m, d] of [['citizen kane', 2, 14], ['modern times', 5, 1], ['the wizard of oz', 7, 4], ['the godfather', 9, 9], ['casablanca', now.getUTCMonth() + 1, 1]]) {
  try { await api('/api/checkins', { title_id: await find(q, 'movie'), watched_at: day(m, d), rating: 8 }, token); } catch { /* not in this catalog */ }
}
for (const q of ['vertigo', 'seven samurai', 'spirited away']) {
  try { await api('/api/watchlist', { title_id: await find(q, 'movie') }, token); } catch { /* not in this catalog */ }
}

const browser = await chromium.launch({
  executablePath: process.env.WATCHLOG_CHROMIUM || '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const pages = [['home', '/'], ['search', `/search?q=braking+bad`], ['title', `/titles/${bb}?season=3`], ['history', '/history'],
               ['watchlist', '/watchlist'], ['stats', '/stats'], ['settings', '/settings']];
for (const [size, viewport, scheme] of [['phone', { width: 360, height: 780 }, 'light'], ['desktop', { width: 1280, height: 900 }, 'light'], ['desktop-dark', { width: 1280, height: 900 }, 'dark']]) {
  const context = await browser.newContext({ viewport, colorScheme: scheme, baseURL: base, isMobile: size === 'phone', hasTouch: size === 'phone' });
  const page = await context.newPage();
  await page.goto('/signin');
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.click('button[type=submit]');
  await page.waitForURL(u => !u.pathname.endsWith('/signin'));
  for (const [name, url] of (size === 'desktop-dark' ? pages.filter(p => ['home', 'title', 'stats'].includes(p[0])) : pages)) {
    await page.goto(url);
    await page.waitForLoadState('load');
    await page.screenshot({ path: `${out}/${name}-${size}.png`, fullPage: false });
  }
  await context.close();
}
await browser.close();
