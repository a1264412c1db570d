; ch12_vpid.s — a guest kernel with paging on that exits often and touches a working set of
; PAGES pages between its exits.
;
; Each of ROUNDS rounds: ask the CPU for a feature bit (cpuid), add it and the round number to
; a word on every page of the working set, then report progress (one dot on the console).
; Under VT-x, cpuid and the console port exit. Without tagged TLBs (VPID) every exit flushes
; the TLB, and afterwards the guest walks its page tables again for each page it touches.
; Expected output: ROUNDS dots, then "checksum 95744", exit code 0.
;
; Guest form: GUEST_report writes the dots into a buffer and prints it with ONE console_io
; hypercall at the end.
;ko: ch12_vpid.s — 페이징을 켠 게스트 커널이 자주 exit하고, exit과 exit 사이에 PAGES개
;ko: 페이지의 작업 집합을 건드립니다.
;ko:
;ko: ROUNDS번의 바퀴마다 CPU에 기능 비트 하나를 묻고(cpuid), 그 비트와 바퀴 번호를 작업 집합의
;ko: 모든 페이지에 있는 워드에 더한 다음, 진행 상황을 알립니다(콘솔에 점 하나).
;ko: VT-x에서는 cpuid와 콘솔 포트가 exit합니다. 태그 TLB(VPID)가 없으면 exit할 때마다 TLB가
;ko: 비워지고, 게스트는 그 뒤에 건드리는 페이지마다 페이지 테이블을 다시 탐색합니다.
;ko: 예상 출력: 점 ROUNDS개, 이어서 "checksum 95744", 종료 코드 0.
;ko:
;ko: 게스트 형태: GUEST_report는 점을 버퍼에 모았다가 마지막에 console_io 하이퍼콜 단 한 번으로
;ko: 출력합니다.

.equ PAGES, 16
.equ ROUNDS, 32
.equ DATA, 0x00400000           ; virtual address of the working set (directory entry 1)
                                ;ko: 작업 집합의 가상 주소(페이지 디렉터리 항목 1)
.equ FRAMES, 0x00040000         ; the frames behind it
                                ;ko: 작업 집합 뒤에 있는 프레임
.equ PTE_PW, 3                  ; present, writable
                                ;ko: 존재함(present), 쓰기 가능
.equ HC_CONSOLE_IO, 3           ; hypercall: ebx = buffer, ecx = length
                                ;ko: 하이퍼콜: ebx = 버퍼, ecx = 길이
.equ GUEST_report, 0

_start:
    mov esp, 0x80000
    mov edi, pt_ram             ; identity-map the first 1 MiB
                                ;ko: 처음 1 MiB를 항등 매핑
    mov eax, PTE_PW
    mov ecx, 256
identity:
    mov [edi], eax
    add eax, 4096
    add edi, 4
    loop identity
    mov edi, pt_data            ; map the working set onto its frames
                                ;ko: 작업 집합을 그 프레임에 매핑
    mov eax, FRAMES
    or eax, PTE_PW
    mov ecx, PAGES
map_data:
    mov [edi], eax
    add eax, 4096
    add edi, 4
    loop map_data
    mov eax, pt_ram
    or eax, PTE_PW
    mov [pgdir], eax
    mov eax, pt_data
    or eax, PTE_PW
    mov [pgdir + 4], eax
    mov eax, pgdir
    mov cr3, eax
    mov eax, cr0
    or eax, 0x80010001          ; paging, write protect, protected mode
                                ;ko: 페이징, 쓰기 보호, 보호 모드
    mov cr0, eax
    xor ebp, ebp                ; ebp = round, edi = checksum
                                ;ko: ebp = 바퀴 수, edi = 체크섬
    xor edi, edi
round:
    mov eax, 1                  ; leaf 1: the feature bits, in edx
                                ;ko: 리프 1: 기능 비트가 edx에 옴
ask:
    cpuid                       ; slot `ask`: cpuid (exits under VT-x whatever the choice)
                                ;ko: 슬롯 `ask`: cpuid(VT-x에서는 무엇을 고르든 exit)
    and edx, 0x10               ; the time-stamp counter's bit: 1 on every machine here
                                ;ko: 타임스탬프 카운터 비트: 여기서는 어느 기계에서나 1
    shr edx, 4
    add edx, ebp                ; edx = what each page gets this round
                                ;ko: edx = 이번 바퀴에 페이지마다 더할 값
    xor esi, esi                ; esi = page
                                ;ko: esi = 페이지 번호
touch_page:
    mov ebx, esi
    shl ebx, 12
    add ebx, DATA
    mov eax, [ebx]
    add eax, edx
touch:
    mov [ebx], eax              ; slot `touch`: innocuous (a store to the page)
                                ;ko: 슬롯 `touch`: 무해한 명령(페이지에 쓰기)
    add edi, eax
    inc esi
    cmp esi, PAGES
    jne touch_page
    mov eax, '.'
report:
.if GUEST_report
    mov ebx, ebp                ; modified: keep the dot in a buffer
                                ;ko: 수정된 형태: 점을 버퍼에 모아 둠
    add ebx, dots
    movb [ebx], eax
.else
    out 0xE9, eax               ; slot `report`: port I/O, once per round
                                ;ko: 슬롯 `report`: 포트 입출력, 바퀴마다 한 번
.endif
    inc ebp
    cmp ebp, ROUNDS
    jne round
.if GUEST_report
    mov ebx, dots               ; modified: every dot in one hypercall
                                ;ko: 수정된 형태: 모든 점을 하이퍼콜 한 번으로
    mov ecx, ROUNDS
    mov eax, HC_CONSOLE_IO
    vmcall
.endif
    mov esi, s_sum
    call puts
    mov eax, edi
    call print_dec
    mov eax, 10
    out 0xE9, eax
    xor eax, eax
    out 0xF4, eax               ; power off, exit code 0
                                ;ko: 전원 끄기, 종료 코드 0

; the library's console routines: puts prints the string at esi, print_dec the number in eax
;ko: 라이브러리의 콘솔 루틴: puts는 esi가 가리키는 문자열을, print_dec는 eax의 수를 출력
.include "console.s"

s_sum:  .asciz "\nchecksum "
dots:   .zero ROUNDS
.align 4096
pgdir:   .zero 4096
pt_ram:  .zero 4096
pt_data: .zero 4096
