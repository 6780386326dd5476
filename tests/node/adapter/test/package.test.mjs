// The package as the app gets it: `npm pack`, installed into an empty folder, imported by plain Node 20
// (no build step, no TypeScript), calling a real server. And the generated types: a schema change that
// breaks one of the app's operations fails the code generation that every build runs.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { newCredentials, startStack } from '../lib/setup.mjs'

const PKG = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../clients/react-native-adapter')
const ROOT = path.resolve(PKG, '../..')
let stack, tmp

before(async () => {
  stack = await startStack()
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'adapter-pack-'))
})
after(async () => {
  await stack?.close()
  fs.rmSync(tmp, { recursive: true, force: true })
})

const npm = (args, cwd) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })

describe('the published package', () => {
  test('npm pack output installs into an empty folder and runs in Node with no build step', async () => {
    const packed = JSON.parse(npm(['pack', '--json', '--pack-destination', tmp], PKG))[0]
    const files = packed.files.map((f) => f.path)
    assert.ok(files.includes('dist/index.js') && files.includes('dist/index.d.ts') && files.includes('dist/native.js'))
    assert.ok(!files.some((f) => f.startsWith('src/') || f.endsWith('.ts') && !f.endsWith('.d.ts')), 'only built JS and declarations')

    const app = path.join(tmp, 'app')
    fs.mkdirSync(app)
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }))
    npm(['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', path.join(tmp, packed.filename)], app)
    assert.ok(!fs.existsSync(path.join(app, 'node_modules/typescript')), 'no build tooling comes with it')

    const c = newCredentials()
    fs.writeFileSync(path.join(app, 'main.js'), `
      import { createAdapter, MemorySecureStore } from '@peregrine/react-native-adapter'
      const api = createAdapter({ url: process.argv[2], secureStore: new MemorySecureStore() })
      const s = await api.auth.signUp({ email: process.argv[3], password: process.argv[4] })
      const items = await api.getPhenoms(5)
      console.log(JSON.stringify({ userId: s.userId, ids: items.map((i) => i.id) }))
      api.close()
    `)
    const out = JSON.parse(execFileSync(process.execPath, ['main.js', stack.url, c.email, c.password], { cwd: app, encoding: 'utf8' }))
    const { rows: [u] } = await stack.sql('SELECT id FROM users WHERE email = $1', [c.email])
    assert.equal(out.userId, u.id)
    const { rows } = await stack.sql('SELECT id FROM phenom_reports ORDER BY timestamp DESC LIMIT 5')
    assert.deepEqual(out.ids, rows.map((r) => r.id))

    // The react-native condition resolves to the RN entry (what Metro picks).
    const rn = execFileSync(process.execPath, ['--conditions=react-native', '-e',
      "import('@peregrine/react-native-adapter').then(m => console.log(typeof m.mmkvSecureStore, typeof m.createAdapter))"], { cwd: app, encoding: 'utf8' })
    assert.equal(rn.trim(), 'function function')
  })

  test('a schema change that breaks an operation the app sends fails code generation', () => {
    const schema = fs.readFileSync(path.join(ROOT, 'schema.graphql'), 'utf8')
    // Rename phenom_reports.description, which GetRecentPhenoms selects.
    const broken = schema.replace(/(type phenom_reports \{[\s\S]*?\n  )description: String/, '$1summary: String')
    assert.notEqual(broken, schema)
    const dir = fs.mkdtempSync(path.join(tmp, 'codegen-'))
    fs.writeFileSync(path.join(dir, 'schema.graphql'), broken)
    const config = {
      schema: path.join(dir, 'schema.graphql'),
      documents: [path.join(ROOT, 'tests/Peregrine.Graph.Tests/contract/*.graphql'), path.join(PKG, 'src/operations/*.graphql')],
      generates: { [path.join(dir, 'out.ts')]: { plugins: ['typescript-operations', 'typed-document-node'] } },
    }
    fs.writeFileSync(path.join(dir, 'codegen.json'), JSON.stringify(config))
    let failed = null
    try {
      execFileSync(path.join(PKG, 'node_modules/.bin/graphql-codegen'), ['--config', path.join(dir, 'codegen.json')], { cwd: PKG, encoding: 'utf8', stdio: 'pipe' })
    } catch (e) {
      failed = `${e.stdout}${e.stderr}`
    }
    assert.ok(failed, 'code generation must fail')
    assert.match(failed, /description/)
    // And the same generation over the real schema succeeds (the failure above is the rename, nothing else).
    config.schema = path.join(ROOT, 'schema.graphql')
    fs.writeFileSync(path.join(dir, 'codegen.json'), JSON.stringify(config))
    execFileSync(path.join(PKG, 'node_modules/.bin/graphql-codegen'), ['--config', path.join(dir, 'codegen.json')], { cwd: PKG, stdio: 'pipe' })
    assert.ok(fs.readFileSync(path.join(dir, 'out.ts'), 'utf8').includes('GetRecentPhenomsDocument'))
  })
})
