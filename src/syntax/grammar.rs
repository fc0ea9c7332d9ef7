//! The pest grammar `grammar/gdr.pest`, derived into [`GdrParser`] and its
//! [`Rule`]s. The grammar file is the language's definition.

#[derive(pest_derive::Parser)]
#[grammar = "grammar/gdr.pest"]
pub(super) struct GdrParser;

/// The grammar's `XID_START`, from pest's own tables, so that the fast
/// parser (`fast.rs`) tells names apart exactly as the grammar does.
pub(super) fn xid_start(c: char) -> bool {
    pest::unicode::XID_START(c)
}

/// The grammar's `XID_CONTINUE`, likewise.
pub(super) fn xid_continue(c: char) -> bool {
    pest::unicode::XID_CONTINUE(c)
}
