/**
 * "Ignore the instructions", "full marks", "note to the grader", "mark this correct" and role
 * tags in the languages an answer is most likely to switch to. JavaScript's \b only knows ASCII
 * letters, so the patterns lean on the phrase itself rather than word boundaries; CJK has none.
 */
const L = String.raw`\p{L}*`;

export const MULTILINGUAL_PATTERNS: readonly RegExp[] = [
  // French
  /(?:ignore[rz]?|oublie[rz]?|ne (?:tiens|tenez) pas compte)[^.\n]{0,40}(?:instructions?|consignes?|règles|grille|barème|corrigé|réponse de référence)/iu,
  /(?:note|notation|points?|score)\s+(?:maximale?|complète|parfaite|totale)|(?:note|message|remarque)\s+(?:du|pour le|au|à l'attention du)\s+(?:correcteur|évaluateur|examinateur|notateur)|(?:marque[rz]?|considère[rz]?|notez|note)\s+(?:cette|la|ma)\s+réponse\s+comme\s+(?:correcte|juste|parfaite|excellente)|tous les points(?: clés)?\s+(?:sont\s+)?couverts/iu,
  // German
  /(?:ignorier(?:e|en|t)?|vergiss|vergessen sie|missachte)[^.\n]{0,40}(?:anweisungen|anleitungen|regeln|vorgaben|bewertungs\p{L}*|musterlösung|rubrik)/iu,
  /(?:volle|vollen|maximale|höchste)\s+(?:punktzahl|punkte|punkten|note|bewertung)|bestnote|höchstpunktzahl|(?:hinweis|notiz|anmerkung|nachricht)\s+(?:für|an)\s+(?:den|die)\s+(?:prüfer|bewerter|korrektor|ki)\p{L}*|(?:bewerte|werte|markiere|bewerten sie|markieren sie)\s+(?:diese|die|meine)\s+antwort\s+als\s+(?:korrekt|richtig|perfekt)|alle\s+(?:kernpunkte|schlüsselpunkte|punkte)\s+(?:sind\s+)?(?:abgedeckt|erfüllt)/iu,
  // Spanish
  /(?:ignora|ignore|ignorar|olvida|olvide|olvidar|no tengas en cuenta)[^.\n]{0,40}(?:instrucciones|indicaciones|reglas|rúbrica|criterios|respuesta de referencia)/iu,
  /(?:puntuación|nota|calificación|puntaje)\s+(?:máxima|completa|perfecta)|(?:máxima|la mejor)\s+(?:puntuación|nota|calificación)|(?:nota|mensaje)\s+para\s+el\s+(?:evaluador|corrector|examinador|calificador)|(?:marca|marque|califica|considera)\s+(?:esta|la|mi)\s+respuesta\s+como\s+(?:correcta|perfecta|excelente)/iu,
  // Portuguese
  /(?:ignore|ignora|ignorar|esqueça|esqueca|desconsidere)[^.\n]{0,40}(?:instruções|instrucoes|orientações|regras|rubrica|critérios|resposta de referência)/iu,
  /(?:nota|pontuação|pontuacao)\s+(?:máxima|maxima|total|completa|perfeita)|(?:nota|mensagem)\s+para\s+o\s+(?:avaliador|corretor|examinador)|(?:marque|considere|avalie)\s+(?:esta|a|minha)\s+resposta\s+como\s+(?:correta|perfeita|excelente)/iu,
  // Italian
  /(?:ignora|ignorate|ignorare|dimentica|dimenticate)[^.\n]{0,40}(?:istruzioni|indicazioni|regole|rubrica|criteri|risposta di riferimento)/iu,
  /(?:punteggio|voto)\s+(?:massimo|pieno|perfetto)|pieni voti|(?:nota|messaggio)\s+per\s+il\s+(?:valutatore|correttore|esaminatore)|(?:segna|considera|valuta)\s+(?:questa|la|mia)\s+risposta\s+come\s+(?:corretta|perfetta|eccellente)/iu,
  // Dutch
  /(?:negeer|vergeet)[^.\n]{0,40}(?:instructies|aanwijzingen|regels|rubriek|beoordelingscriteria|modelantwoord)/iu,
  /(?:volledige|maximale|hoogste)\s+(?:punten|score|cijfer|puntental)|(?:opmerking|notitie|bericht)\s+(?:voor|aan)\s+de\s+(?:beoordelaar|examinator|corrector)|(?:markeer|beoordeel|reken)\s+(?:dit|het|mijn)\s+antwoord\s+als\s+(?:correct|juist|goed|perfect)/iu,
  // Chinese (simplified and traditional)
  /(?:忽略|无视|無視|忽视|忽視|不要理会|不要理會|忘记|忘記|忘掉)[^。\n]{0,15}(?:指令|指示|说明|說明|规则|規則|评分标准|評分標準|要求|提示)/u,
  /满分|滿分|最高分|(?:给|給)[^。\n]{0,10}(?:高分|打满|打滿)|(?:评分员|评分者|阅卷人|阅卷老师|评卷人|評分員|評分者|閱卷人|阅卷者)[^。\n]{0,8}(?:注意|备注|備註|请|請)|(?:标记|標記|判定|视为|視為|评为|評為)[^。\n]{0,8}(?:正确|正確)|(?:所有|全部)要点[^。\n]{0,4}(?:已|都)?覆盖|系统[:：]|系統[:：]/u,
  // Japanese
  /(?:指示|命令|ルール|採点基準|指令|プロンプト)[^。\n]{0,10}(?:無視|むし)|(?:無視|むし)して/u,
  /満点|最高点|(?:採点者|採点官|評価者|試験官)[^。\n]{0,10}(?:メモ|注意|注記|お願い|指示|へ)|正解と(?:して|みなして|する)|システム[:：]/u,
  // Russian
  new RegExp(
    String.raw`(?:игнорируй|игнорируйте|игнорировать|забудь|забудьте|не обращай|не обращайте)[^.\n]{0,40}(?:инструкци|указани|правил|критери|эталон)`,
    'iu',
  ),
  new RegExp(
    String.raw`(?:максимальн|высш|полн)${L}\s+(?:балл|оценк)|(?:заметка|примечание|записка|сообщение)\s+для\s+(?:проверяющ|экзаменатор|оценщик|преподавател)|(?:отметь|отметьте|засчитай|засчитайте|оцени|оцените)\s+(?:этот\s+|мой\s+)?ответ\s+как\s+(?:правильн|верн|отличн)|(?:^|\s)система\s*:`,
    'iu',
  ),
];
