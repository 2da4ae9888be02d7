import { Document } from '@langchain/core/documents';
import { BaseRetriever, type BaseRetrieverInput } from '@langchain/core/retrievers';
import type { QuestionBank } from '../rubrics/question-bank.js';
import type { ReferenceIndex, ReferenceKind } from './reference-index.js';

export interface BankMatchMetadata extends Record<string, unknown> {
  questionId: string;
  similarity: number;
  kind: ReferenceKind;
}

export interface BankRetrieverConfig extends BaseRetrieverInput {
  bank: QuestionBank;
  index: ReferenceIndex;
  /** Search questions (to find what was asked) or reference answers (to find what an answer answers). */
  kind: ReferenceKind;
  limit?: number;
}

/**
 * A LangChain retriever over the question bank: the nearest bank entries to a text, each as a
 * Document holding the question, with its id and similarity in the metadata.
 */
export class BankRetriever extends BaseRetriever<BankMatchMetadata> {
  lc_namespace = ['answerkey', 'retrieval'];
  private readonly bank: QuestionBank;
  private readonly index: ReferenceIndex;
  private readonly kind: ReferenceKind;
  private readonly limit: number;

  constructor({ bank, index, kind, limit = 3, ...fields }: BankRetrieverConfig) {
    super(fields);
    this.bank = bank;
    this.index = index;
    this.kind = kind;
    this.limit = limit;
  }

  override async _getRelevantDocuments(query: string): Promise<Document<BankMatchMetadata>[]> {
    const matches = await this.index.search(query, { kind: this.kind, limit: this.limit });
    return matches.flatMap((match) => {
      const rubric = this.bank.get(match.questionId);
      if (!rubric) return [];
      return [new Document<BankMatchMetadata>({ pageContent: rubric.question, metadata: { ...match } })];
    });
  }
}
