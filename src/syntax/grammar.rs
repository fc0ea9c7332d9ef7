//! The pest grammar `grammar/gdr.pest`, derived into [`GdrParser`] and its
//! [`Rule`]s. The grammar file is the language's definition.

#[derive(pest_derive::Parser)]
#[grammar = "grammar/gdr.pest"]
pub(super) struct GdrParser;
