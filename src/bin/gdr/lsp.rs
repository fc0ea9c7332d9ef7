//! `gdr lsp`: a language server on stdio (lsp-server, synchronous).
//!
//! Every open document is compiled on open and on every change (full text
//! sync); the server publishes the same diagnostics `gdr check` gives,
//! answers hover (a name's value, unit and how it is derived),
//! go-to-definition (lets, rows, columns, forms, in the report or in a
//! library file; a `use "…"` opens its file), formatting (`gdr fmt`),
//! completion by context, the outline (document symbols) and the values of
//! `auto` cells (inlay hints), and quick fixes (code actions) from the
//! diagnostics' suggestions. A report that uses another open document
//! reads the editor's text of it, and is checked again when it changes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use lsp_server::{Connection, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, Notification as _,
    PublishDiagnostics,
};
use lsp_types::request::{
    CodeActionRequest, Completion, DocumentSymbolRequest, Formatting, GotoDefinition, HoverRequest,
    InlayHintRequest, Request as _,
};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionProviderCapability,
    CodeActionResponse, CompletionItem, CompletionItemKind, CompletionOptions, CompletionResponse,
    DiagnosticRelatedInformation, DiagnosticSeverity, DocumentSymbol, DocumentSymbolResponse,
    GotoDefinitionResponse, Hover, HoverContents, HoverProviderCapability, InitializeParams,
    InlayHint, InlayHintLabel, Location, MarkupContent, MarkupKind, NumberOrString, OneOf,
    Position, PublishDiagnosticsParams, Range, ServerCapabilities, SymbolKind,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextEdit, Uri, WorkspaceEdit,
};

use gdr::diagnostics::Lang;
use gdr::ide::{self, CompletionKind, Utf16Position};
use gdr::span::Span;
use gdr::{Compilation, Severity, SourceFile};

/// An open document and its last compilation.
struct Document {
    /// The text as the client has it, with a byte order mark if it sent
    /// one.
    text: String,
    /// The client's version of the text, given back with its diagnostics.
    version: Option<i32>,
    /// The file's path, absolute.
    path: PathBuf,
    compilation: Compilation,
}

impl Document {
    /// 1 on line 0 when the client's text starts with a byte order mark,
    /// else 0: the compiled [`SourceFile`] dropped the mark, the client
    /// counts it as the line's first character (one UTF-16 unit).
    fn bom_shift(&self, line: u32) -> u32 {
        u32::from(line == 0 && self.text.starts_with('\u{feff}'))
    }

    /// The client's position of a byte offset of the report.
    fn position(&self, offset: usize) -> Position {
        let at = ide::position::utf16_position(self.compilation.sources.main(), offset);
        Position::new(
            at.line,
            at.character.saturating_add(self.bom_shift(at.line)),
        )
    }

    fn range(&self, span: Span) -> Range {
        Range::new(
            self.position(span.start as usize),
            self.position(span.end as usize),
        )
    }

    /// The byte offset in the report of a client's position.
    fn offset(&self, position: Position) -> usize {
        let character = position
            .character
            .saturating_sub(self.bom_shift(position.line));
        ide::position::utf16_offset(
            self.compilation.sources.main(),
            Utf16Position {
                line: position.line,
                character,
            },
        )
    }
}

/// Whether the file on disk starts with a UTF-8 byte order mark.
fn starts_with_bom(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 3];
    std::fs::File::open(path)
        .and_then(|mut file| file.read_exact(&mut head))
        .is_ok_and(|()| head == [0xef, 0xbb, 0xbf])
}

struct Server {
    connection: Connection,
    lang: Lang,
    documents: HashMap<Uri, Document>,
}

/// Runs the server until the client says `exit`.
pub fn run(lang: Lang) -> Result<(), String> {
    let (connection, io_threads) = Connection::stdio();
    let capabilities = ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        inlay_hint_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(
                ide::completion::TRIGGER_CHARACTERS
                    .iter()
                    .map(|character| character.to_string())
                    .collect(),
            ),
            ..CompletionOptions::default()
        }),
        ..ServerCapabilities::default()
    };
    let capabilities = serde_json::to_value(capabilities).map_err(|error| error.to_string())?;
    let params = connection
        .initialize(capabilities)
        .map_err(|error| error.to_string())?;
    let params: InitializeParams =
        serde_json::from_value(params).map_err(|error| error.to_string())?;
    // The client's locale decides, unless `--lang` or `GDR_LANG` did.
    #[allow(deprecated)]
    let lang = match params.locale.as_deref() {
        Some(locale) if std::env::var_os("GDR_LANG").is_none() && lang == Lang::En => {
            Lang::choose(Some(locale), |_| None)
        }
        _ => lang,
    };
    let mut server = Server {
        connection,
        lang,
        documents: HashMap::new(),
    };
    server.main_loop()?;
    // The writer thread ends only when the connection is dropped.
    drop(server);
    io_threads.join().map_err(|error| error.to_string())
}

impl Server {
    fn main_loop(&mut self) -> Result<(), String> {
        while let Ok(message) = self.connection.receiver.recv() {
            match message {
                Message::Request(request) => {
                    if self
                        .connection
                        .handle_shutdown(&request)
                        .map_err(|error| error.to_string())?
                    {
                        return Ok(());
                    }
                    let response = self.request(request);
                    self.send(Message::Response(response));
                }
                Message::Notification(notification) => self.notification(notification),
                Message::Response(_) => {}
            }
        }
        Ok(())
    }

    fn send(&self, message: Message) {
        // A closed connection ends the loop on the next receive.
        let _ = self.connection.sender.send(message);
    }

    fn notification(&mut self, notification: Notification) {
        match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Ok(params) = serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(
                    notification.params,
                ) {
                    self.update(
                        params.text_document.uri,
                        params.text_document.text,
                        Some(params.text_document.version),
                    );
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Ok(params) = serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(
                    notification.params,
                ) && let Some(change) = params.content_changes.into_iter().last()
                {
                    self.update(
                        params.text_document.uri,
                        change.text,
                        Some(params.text_document.version),
                    );
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(params) = serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(
                    notification.params,
                ) {
                    if let Some(closed) = self.documents.remove(&params.text_document.uri) {
                        // Reports that use it read it from the disk again.
                        self.recheck_users_of(&closed.path);
                    }
                    self.publish(params.text_document.uri, Vec::new(), None);
                }
            }
            _ => {}
        }
    }

    /// Compiles a document and publishes its diagnostics; then does the
    /// same for every open report that uses it, which sees the new text.
    fn update(&mut self, uri: Uri, text: String, version: Option<i32>) {
        let path = path_of(&uri);
        self.compile(uri, text, version, path.clone());
        self.recheck_users_of(&path);
    }

    /// Compiles the open reports that use the file at `path`.
    fn recheck_users_of(&mut self, path: &Path) {
        let users: Vec<Uri> = self
            .documents
            .iter()
            .filter(|(_, document)| {
                document.path != path
                    && document.compilation.sources.files()[1..]
                        .iter()
                        .any(|file| same_file(&file.name, path))
            })
            .map(|(uri, _)| uri.clone())
            .collect();
        for uri in users {
            if let Some(document) = self.documents.remove(&uri) {
                self.compile(uri, document.text, document.version, document.path);
            }
        }
    }

    /// Compiles a document, reading the files it uses as the editor has
    /// them, and publishes its diagnostics.
    fn compile(&mut self, uri: Uri, text: String, version: Option<i32>, path: PathBuf) {
        let loader = Overlay {
            files: gdr::project::FileLoader::for_input(&path),
            open: &self.documents,
        };
        let compilation = gdr::compile_for_editor(
            &SourceFile::new(path.display().to_string(), text.as_str()),
            &loader,
        );
        let document = Document {
            text,
            version,
            path,
            compilation,
        };
        let diagnostics = self.diagnostics(&uri, &document);
        self.documents.insert(uri.clone(), document);
        self.publish(uri, diagnostics, version);
    }

    fn publish(&self, uri: Uri, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        if let Ok(params) = serde_json::to_value(params) {
            self.send(Message::Notification(Notification::new(
                PublishDiagnostics::METHOD.to_string(),
                params,
            )));
        }
    }

    fn diagnostics(&self, uri: &Uri, document: &Document) -> Vec<lsp_types::Diagnostic> {
        document
            .compilation
            .diagnostics
            .iter()
            .filter_map(|diagnostic| self.diagnostic(uri, document, diagnostic))
            .collect()
    }

    /// A diagnostic as the client shows it; `None` for one outside the
    /// report.
    fn diagnostic(
        &self,
        uri: &Uri,
        document: &Document,
        diagnostic: &gdr::Diagnostic,
    ) -> Option<lsp_types::Diagnostic> {
        let compilation = &document.compilation;
        let span = ide::diagnostic::report_span(compilation, diagnostic)?;
        let message = ide::diagnostic::message(diagnostic, self.lang);
        let related = diagnostic
            .labels
            .iter()
            .filter(|label| !label.primary && ide::diagnostic::in_report(compilation, label.span))
            .map(|label| DiagnosticRelatedInformation {
                location: Location::new(uri.clone(), document.range(label.span)),
                message: label.message.render(self.lang),
            })
            .collect();
        Some(lsp_types::Diagnostic {
            range: document.range(span),
            severity: Some(match diagnostic.severity {
                Severity::Error => DiagnosticSeverity::ERROR,
                Severity::Warning => DiagnosticSeverity::WARNING,
                Severity::Note => DiagnosticSeverity::INFORMATION,
            }),
            code: Some(NumberOrString::String(diagnostic.code.as_str().to_string())),
            source: Some("gdr".to_string()),
            message,
            related_information: Some(related),
            ..lsp_types::Diagnostic::default()
        })
    }

    /// Quick fixes for the diagnostics whose suggestions touch the range.
    fn code_actions(&self, request: Request) -> Result<Option<CodeActionResponse>, String> {
        let params: lsp_types::CodeActionParams = parse(request)?;
        let uri = params.text_document.uri;
        let document = self.document(&uri)?;
        let compilation = &document.compilation;
        let range = Span::new(
            document.offset(params.range.start),
            document.offset(params.range.end),
        );
        let actions = ide::fixes(compilation, range, self.lang)
            .into_iter()
            .map(|fix| {
                let edit = TextEdit::new(document.range(fix.span), fix.replacement);
                let diagnostic = &compilation.diagnostics[fix.diagnostic];
                CodeActionOrCommand::CodeAction(CodeAction {
                    title: fix.title,
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: self
                        .diagnostic(&uri, document, diagnostic)
                        .map(|diagnostic| vec![diagnostic]),
                    edit: Some(WorkspaceEdit {
                        changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
                        ..WorkspaceEdit::default()
                    }),
                    ..CodeAction::default()
                })
            })
            .collect();
        Ok(Some(actions))
    }

    fn request(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        let result = match request.method.as_str() {
            HoverRequest::METHOD => self.hover(request).map(serde_json::to_value),
            GotoDefinition::METHOD => self.definition(request).map(serde_json::to_value),
            Formatting::METHOD => self.formatting(request).map(serde_json::to_value),
            Completion::METHOD => self.completion(request).map(serde_json::to_value),
            DocumentSymbolRequest::METHOD => self.symbols(request).map(serde_json::to_value),
            InlayHintRequest::METHOD => self.inlay_hints(request).map(serde_json::to_value),
            CodeActionRequest::METHOD => self.code_actions(request).map(serde_json::to_value),
            _ => {
                return Response::new_err(
                    id,
                    lsp_server::ErrorCode::MethodNotFound as i32,
                    "not supported".into(),
                );
            }
        };
        match result {
            Ok(Ok(value)) => Response::new_ok(id, value),
            Ok(Err(error)) => Response::new_err(
                id,
                lsp_server::ErrorCode::InternalError as i32,
                error.to_string(),
            ),
            Err(message) => {
                Response::new_err(id, lsp_server::ErrorCode::InvalidParams as i32, message)
            }
        }
    }

    /// The document and byte offset a position request is about.
    fn at(
        &self,
        params: &lsp_types::TextDocumentPositionParams,
    ) -> Result<(&Document, usize), String> {
        let document = self
            .documents
            .get(&params.text_document.uri)
            .ok_or("the document is not open")?;
        Ok((document, document.offset(params.position)))
    }

    fn hover(&self, request: Request) -> Result<Option<Hover>, String> {
        let params: lsp_types::HoverParams = parse(request)?;
        let (document, offset) = self.at(&params.text_document_position_params)?;
        Ok(
            ide::hover(&document.compilation, offset, self.lang).map(|hover| Hover {
                contents: HoverContents::Markup(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value: hover.markdown,
                }),
                range: Some(document.range(hover.range)),
            }),
        )
    }

    fn definition(&self, request: Request) -> Result<Option<GotoDefinitionResponse>, String> {
        let params: lsp_types::GotoDefinitionParams = parse(request)?;
        let uri = params
            .text_document_position_params
            .text_document
            .uri
            .clone();
        let (document, offset) = self.at(&params.text_document_position_params)?;
        let compilation = &document.compilation;
        if let Some(definition) = ide::definition(compilation, offset) {
            if definition.file == 0 {
                let range = document.range(definition.span);
                return Ok(Some(GotoDefinitionResponse::Scalar(Location::new(
                    uri, range,
                ))));
            }
            // In a library on disk; a built-in library (`<gdr>/…`) has no
            // file the client could open: no answer.
            let file = compilation.sources.get(definition.file);
            if file.name.starts_with("<gdr>/") {
                return Ok(None);
            }
            let path = std::env::current_dir().unwrap_or_default().join(&file.name);
            // The compiled file dropped its byte order mark; an editor that
            // opens it counts the mark on line 0.
            let bom = u32::from(starts_with_bom(&path));
            let position = |offset: usize| {
                let at = ide::position::utf16_position(file, offset);
                let shift = if at.line == 0 { bom } else { 0 };
                Position::new(at.line, at.character.saturating_add(shift))
            };
            let range = Range::new(
                position(definition.span.start as usize),
                position(definition.span.end as usize),
            );
            return Ok(
                uri_of(&path).map(|uri| GotoDefinitionResponse::Scalar(Location::new(uri, range)))
            );
        }
        // `use "…"`: the file, if it exists.
        let Some(used) = ide::used_path(compilation, offset) else {
            return Ok(None);
        };
        let path = document.path.parent().unwrap_or(Path::new("")).join(used);
        if !path.is_file() {
            return Ok(None);
        }
        Ok(uri_of(&path)
            .map(|uri| GotoDefinitionResponse::Scalar(Location::new(uri, Range::default()))))
    }

    fn formatting(&self, request: Request) -> Result<Option<Vec<TextEdit>>, String> {
        let params: lsp_types::DocumentFormattingParams = parse(request)?;
        let document = self
            .documents
            .get(&params.text_document.uri)
            .ok_or("the document is not open")?;
        let formatted = gdr::format::format(&document.text);
        if formatted == document.text {
            return Ok(Some(Vec::new()));
        }
        // From the very start: the formatted text has no byte order mark.
        let end = document.position(document.compilation.sources.main().end());
        let whole = Range::new(Position::new(0, 0), end);
        Ok(Some(vec![TextEdit::new(whole, formatted)]))
    }

    fn document(&self, uri: &Uri) -> Result<&Document, String> {
        self.documents
            .get(uri)
            .ok_or_else(|| "the document is not open".to_string())
    }

    /// The outline: sections, tables, forms and lets.
    fn symbols(&self, request: Request) -> Result<Option<DocumentSymbolResponse>, String> {
        let params: lsp_types::DocumentSymbolParams = parse(request)?;
        let document = self.document(&params.text_document.uri)?;
        let outline = ide::outline(document.compilation.sources.main());
        Ok(Some(DocumentSymbolResponse::Nested(
            outline
                .iter()
                .map(|item| document_symbol(document, item))
                .collect(),
        )))
    }

    /// The values of the `auto` cells in the requested range.
    fn inlay_hints(&self, request: Request) -> Result<Option<Vec<InlayHint>>, String> {
        let params: lsp_types::InlayHintParams = parse(request)?;
        let document = self.document(&params.text_document.uri)?;
        let (start, end) = (
            document.offset(params.range.start),
            document.offset(params.range.end),
        );
        Ok(Some(
            ide::inlay_hints(&document.compilation)
                .into_iter()
                .filter(|hint| (start..=end).contains(&(hint.span.end as usize)))
                .map(|hint| InlayHint {
                    position: document.position(hint.span.end as usize),
                    label: InlayHintLabel::String(hint.label),
                    kind: None,
                    text_edits: None,
                    tooltip: None,
                    padding_left: Some(true),
                    padding_right: None,
                    data: None,
                })
                .collect(),
        ))
    }

    fn completion(&self, request: Request) -> Result<Option<CompletionResponse>, String> {
        let params: lsp_types::CompletionParams = parse(request)?;
        let document = self
            .documents
            .get(&params.text_document_position.text_document.uri)
            .ok_or("the document is not open")?;
        let offset = document.offset(params.text_document_position.position);
        let items = ide::completions(&document.compilation, offset)
            .into_iter()
            .map(|item| CompletionItem {
                label: item.label,
                kind: Some(match item.kind {
                    CompletionKind::Let => CompletionItemKind::VARIABLE,
                    CompletionKind::Table => CompletionItemKind::STRUCT,
                    CompletionKind::Row => CompletionItemKind::FIELD,
                    CompletionKind::Column => CompletionItemKind::ENUM_MEMBER,
                    CompletionKind::Keyword => CompletionItemKind::KEYWORD,
                    CompletionKind::Format => CompletionItemKind::VALUE,
                }),
                detail: Some(item.detail),
                ..CompletionItem::default()
            })
            .collect();
        Ok(Some(CompletionResponse::Array(items)))
    }
}

/// Reads the files a report uses as the editor has them: an open
/// document's text where the file is open, else the file on disk.
struct Overlay<'d> {
    files: gdr::project::FileLoader,
    open: &'d HashMap<Uri, Document>,
}

impl gdr::modules::Loader for Overlay<'_> {
    fn load(&self, from: &str, path: &str) -> Result<(String, String), gdr::modules::LoadError> {
        let (name, text) = self.files.load(from, path)?;
        let open = self
            .open
            .values()
            .find(|document| same_file(&name, &document.path));
        Ok((name, open.map_or(text, |document| document.text.clone())))
    }
}

/// Whether a file's name, as the loader gives it (relative to the current
/// directory where it can be), is the file at the absolute `path`.
fn same_file(name: &str, path: &Path) -> bool {
    let name = Path::new(name);
    if name.is_absolute() {
        name == path
    } else {
        std::env::current_dir().is_ok_and(|directory| directory.join(name) == path)
    }
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` must be written.
fn document_symbol(document: &Document, item: &ide::OutlineItem) -> DocumentSymbol {
    DocumentSymbol {
        name: item.name.clone(),
        detail: item.detail.clone(),
        kind: match item.kind {
            ide::OutlineKind::Header => SymbolKind::FILE,
            ide::OutlineKind::Section => SymbolKind::NAMESPACE,
            ide::OutlineKind::Table | ide::OutlineKind::Form => SymbolKind::STRUCT,
            ide::OutlineKind::Let => SymbolKind::VARIABLE,
        },
        tags: None,
        deprecated: None,
        range: document.range(item.span),
        selection_range: document.range(item.selection),
        children: Some(
            item.children
                .iter()
                .map(|child| document_symbol(document, child))
                .collect(),
        ),
    }
}

fn parse<T: serde::de::DeserializeOwned>(request: Request) -> Result<T, String> {
    serde_json::from_value(request.params).map_err(|error| error.to_string())
}

/// The `file://` URI of an absolute path, percent-encoded (all but
/// unreserved characters and `/`).
fn uri_of(path: &Path) -> Option<Uri> {
    let mut text = String::from("file://");
    for byte in path.to_string_lossy().bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            text.push(char::from(byte));
        } else {
            text.push_str(&format!("%{byte:02X}"));
        }
    }
    text.parse().ok()
}

/// The file path of a `file://` URI, percent-decoded.
fn path_of(uri: &Uri) -> PathBuf {
    let text = uri.as_str();
    let path = text.strip_prefix("file://").unwrap_or(text);
    let bytes = path.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(byte) = path
                .get(i + 1..i + 3)
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
        {
            decoded.push(byte);
            i += 3;
            continue;
        }
        decoded.push(bytes[i]);
        i += 1;
    }
    PathBuf::from(String::from_utf8_lossy(&decoded).into_owned())
}
