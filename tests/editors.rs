//! docs/editors.md's Neovim set-up, run in a real Neovim: it opens the
//! seed report, and the server's ten errors and a hover arrive.
//!
//! Skipped, with a message, where `nvim` is missing, unless
//! `GDR_REQUIRE_TOOLS=1` (as `.ci/run` sets, after installing Debian's
//! Neovim) makes that a failure.

use std::path::Path;
use std::process::Command;

/// The first ```lua block after the `## Neovim` heading of docs/editors.md.
fn neovim_config() -> String {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/editors.md"))
            .expect("docs/editors.md");
    let section = &doc[doc.find("## Neovim").expect("a Neovim section")..];
    let block = &section[section.find("```lua\n").expect("a lua block") + 7..];
    block[..block.find("```").expect("the block ends")].to_string()
}

const CHECK: &str = r#"
vim.cmd("edit r.gdr")
vim.wait(10000, function() return #vim.diagnostic.get(0) > 0 end, 50)
local diagnostics = vim.diagnostic.get(0)
print("diagnostics: " .. #diagnostics)
local params = {
  textDocument = { uri = vim.uri_from_bufnr(0) },
  position = { line = 146, character = 12 },
}
local result = vim.lsp.buf_request_sync(0, "textDocument/hover", params, 5000)
for _, response in pairs(result or {}) do
  if response.result then print("hover: " .. response.result.contents.value) end
end
print("K: " .. vim.fn.maparg("K", "n"))
vim.cmd("qa!")
"#;

#[test]
fn the_documented_neovim_setup_shows_diagnostics_and_hover() {
    let dir = std::env::temp_dir().join(format!("gdr-nvim-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(dir.join("init.lua"), neovim_config()).expect("init.lua");
    std::fs::write(dir.join("check.lua"), CHECK).expect("check.lua");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/pingyuan-2020.gdr"),
        dir.join("r.gdr"),
    )
    .expect("the example");
    let gdr = Path::new(env!("CARGO_BIN_EXE_gdr"));
    let path = format!(
        "{}:{}",
        gdr.parent().expect("a directory").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let output = Command::new("nvim")
        .args(["--headless", "-u", "init.lua", "-c", "luafile check.lua"])
        .current_dir(&dir)
        .env("PATH", path)
        .env("HOME", &dir)
        .env("XDG_STATE_HOME", &dir)
        .env("XDG_DATA_HOME", &dir)
        .output();
    let _ = std::fs::remove_dir_all(&dir);
    let output = match output {
        Ok(output) => output,
        Err(error) => {
            assert!(
                !std::env::var("GDR_REQUIRE_TOOLS").is_ok_and(|value| value == "1"),
                "GDR_REQUIRE_TOOLS=1 but `nvim` cannot run: {error}"
            );
            eprintln!("skipped: `nvim` cannot run ({error})");
            return;
        }
    };
    // Neovim prints with `print` to its stderr when headless.
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(printed.contains("diagnostics: 10"), "{printed}");
    assert!(printed.contains("hover: `脱贫信息` = 1624条"), "{printed}");
    assert!(printed.contains("K: <Lua function"), "{printed}");
}
