const T=[];const mark=(n)=>T.push([n,performance.now()]);mark('start');
const fs=require('fs'),z=require('zlib');
require('@cdktn/hcl2json/wasm/bridge_wasm_exec.js');mark('wasm_exec');
const raw=process.argv[2]?fs.readFileSync(process.argv[2]):z.gunzipSync(fs.readFileSync('node_modules/@cdktn/hcl2json/main.wasm.gz'));mark('bytes');
const mod=new WebAssembly.Module(raw);mark('compile');
const go=new global.Go();const root={};global.__parse_terraform_config_wasm__=root;
const inst=new WebAssembly.Instance(mod,go.importObject);mark('instantiate');
go.run(inst);mark('run');
const wait=()=>root.parse?go2():setTimeout(wait,0);
function go2(){mark('ready');root.parse('a.hcl','job "x" {\n}\n',(e,r)=>{mark('parsed');let p=0;console.log(T.map(([n,t])=>{const s=n+' '+(t-p).toFixed(1);p=t;return s}).join(' | '),'rss',(process.memoryUsage().rss/1e6).toFixed(0));process.exit(0)})}
wait();
