import { Document } from '@langchain/core/documents';
import { BaseRetriever, type BaseRetrieverInput } from '@langchain/core/retrievers';
import type { QuestionBank } from '../rubrics/question-bank.js';
import type { QueryCorrector } from './bank-spelling.js';
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
  /**
   * Rescores the index's nearest candidates against the query (0–1), replacing the vector
   * similarity; for the local embedder, whose cosines crowd together, this is what separates
   * a paraphrase from an unrelated question.
   */
  rescore?: (query: string, text: string) => number;
  /** How many nearest entries the index proposes for rescoring. */
  candidates?: number;
  /** Fixes the query's typos before searching (see createBankSpelling). */
  correctSpelling?: QueryCorrector;
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
  private readonly rescore: BankRetrieverConfig['rescore'];
  private readonly candidates: number;
  private readonly correctSpelling: QueryCorrector;

  constructor({
    bank,
    index,
    kind,
    limit = 3,
    rescore,
    candidates = 8,
    correctSpelling = (query) => query,
    ...fields
  }: BankRetrieverConfig) {
    super(fields);
    this.bank = bank;
    this.index = index;
    this.kind = kind;
    this.limit = limit;
    this.rescore = rescore;
    this.candidates = Math.max(candidates, limit);
    this.correctSpelling = correctSpelling;
  }

  override async _getRelevantDocuments(asked: string): Promise<Document<BankMatchMetadata>[]> {
    const query = this.correctSpelling(asked);
    const matches = await this.index.search(query, {
      kind: this.kind,
      limit: this.rescore ? this.candidates : this.limit,
    });
    const documents = matches.flatMap((match) => {
      const rubric = this.bank.get(match.questionId);
      if (!rubric) return [];
      const text = this.kind === 'question' ? rubric.question : rubric.referenceAnswer;
      const similarity = this.rescore ? this.rescore(query, text) : match.similarity;
      return [new Document<BankMatchMetadata>({ pageContent: rubric.question, metadata: { ...match, similarity } })];
    });
    return documents.sort((left, right) => right.metadata.similarity - left.metadata.similarity).slice(0, this.limit);
  }
}
